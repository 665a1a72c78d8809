namespace Kryptos.Connect.Portal.Workspaces;

/// <summary>The base currencies a workspace can value its portfolio in (ISO 4217).</summary>
public static class Currencies
{
    public static readonly IReadOnlyList<string> Supported =
    [
        "USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK", "NOK", "DKK", "PLN", "CZK",
        "HUF", "SGD", "HKD", "KRW", "INR", "BRL", "MXN", "ZAR", "TRY",
    ];

    public static bool IsSupported(string? code) => code is not null && Supported.Contains(code, StringComparer.Ordinal);
}
