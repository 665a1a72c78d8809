namespace Kryptos.Connect.Core;

/// <summary>
/// Fiat currencies (ISO 4217), in one place: the base currencies a workspace can value its portfolio
/// in, and the codes the portfolio engine treats as cash rather than as assets with lots. A fixed list
/// of major codes instead of every code the runtime knows: several ISO codes are also tickers of
/// crypto assets (MNT is Mantle as well as the tugrik), and treating those as cash would drop their
/// cost basis.
/// </summary>
public static class Currencies
{
    /// <summary>The base currencies a workspace can choose.</summary>
    public static readonly IReadOnlyList<string> Supported =
    [
        "USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
        "HUF", "SGD", "HKD", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY",
    ];

    /// <summary>Cash to the engine: the base currencies, plus fiat that appears in trades but is not offered as a base.</summary>
    private static readonly HashSet<string> FiatCodes = new([.. Supported, "CNY"], StringComparer.Ordinal);

    public static bool IsSupported(string? code) => code is not null && Supported.Contains(code, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="asset"/> is cash for a workspace whose base currency is <paramref name="baseCurrency"/>.</summary>
    public static bool IsFiat(string asset, string baseCurrency) =>
        string.Equals(asset, baseCurrency, StringComparison.Ordinal) || FiatCodes.Contains(asset);
}
