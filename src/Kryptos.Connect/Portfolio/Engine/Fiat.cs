namespace Kryptos.Connect.Portfolio.Engine;

/// <summary>
/// The fiat currencies the engine treats as cash rather than as assets with lots. A fixed list of
/// major ISO 4217 codes instead of every code the runtime knows: several ISO codes are also tickers
/// of crypto assets (MNT is Mantle as well as the tugrik), and treating those as cash would drop their
/// cost basis. The workspace's base currency is always fiat.
/// </summary>
public static class Fiat
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
        "HUF", "SGD", "HKD", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY", "CNY",
    };

    public static bool IsFiat(string asset, string baseCurrency) =>
        string.Equals(asset, baseCurrency, StringComparison.Ordinal) || Codes.Contains(asset);
}
