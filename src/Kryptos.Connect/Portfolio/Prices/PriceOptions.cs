using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Portfolio.Prices;

/// <summary>Settings of the <c>Prices</c> section (see docs/configuration.md and docs/prices.md).</summary>
public sealed class PriceOptions
{
    public const string SectionName = "Prices";

    /// <summary>The CoinGecko-style price API; off unless <see cref="PriceApiOptions.BaseUrl"/> is set.</summary>
    public PriceApiOptions Api { get; set; } = new();

    /// <summary>Limits of the price CSV import.</summary>
    public PriceImportOptions Import { get; set; } = new();
}

/// <summary>
/// A CoinGecko-compatible HTTP API (<c>/simple/price</c> and <c>/coins/{id}/history</c>). Its answers
/// are cached; a slow or failing API is skipped for <see cref="FailureBackoff"/> and the other price
/// sources answer instead.
/// </summary>
public sealed class PriceApiOptions
{
    /// <summary>E.g. <c>https://api.coingecko.com/api/v3</c>; empty turns the adapter off (the default).</summary>
    public Uri? BaseUrl { get; set; }

    /// <summary>
    /// Sent as the <c>x-cg-demo-api-key</c> header when set. A secret: keep it in user secrets or the
    /// environment, never in a committed file; it is never logged.
    /// </summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one request may take before the API counts as failing.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a current price (<c>/simple/price</c>) is reused. Past days' closes are kept for a day.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the API is left alone after a failure (timeout, error status, unreadable answer).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan FailureBackoff { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>Limits of an uploaded price CSV.</summary>
public sealed class PriceImportOptions
{
    /// <summary>
    /// The largest file accepted, in bytes (about 18,000 rows by default). A request is also bounded
    /// by <c>Hosting:MaxRequestBodyBytes</c>, which answers 413 above it.
    /// </summary>
    [Range(1_024, 16 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 512 * 1024;

    /// <summary>The most data rows one file may have.</summary>
    [Range(1, 200_000)]
    public int MaxRows { get; set; } = 50_000;
}
