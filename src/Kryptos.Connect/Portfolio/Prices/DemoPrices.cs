using System.Collections.Frozen;

namespace Kryptos.Connect.Portfolio.Prices;

/// <summary>
/// The bundled demo snapshot: daily USD closes of the assets the demo data set uses, from
/// <see cref="FirstDay"/> to <see cref="LastDay"/>, generated in code by a seeded random walk. This
/// build has no network, so these are not market data: everything read from here is labelled
/// <c>demo</c>. The walk uses only integer and decimal arithmetic, so every run on every machine
/// yields the same closes. Other currencies come from fixed demo exchange rates
/// (<see cref="UsdRates"/>); fiat currencies are assets too (USD in EUR is the rate).
/// </summary>
public static class DemoPrices
{
    public const string Source = "demo";

    /// <summary>The first day with a close; earlier days have none.</summary>
    public static readonly DateOnly FirstDay = new(2024, 1, 1);

    /// <summary>The last day with a close; later days use it (the latest close before them).</summary>
    public static readonly DateOnly LastDay = new(2028, 12, 31);

    /// <summary>
    /// Units of each currency one US dollar buys, fixed for the whole snapshot (approximate 2024
    /// rates). Covers every base currency a workspace can choose.
    /// </summary>
    public static readonly FrozenDictionary<string, decimal> UsdRates = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["USD"] = 1m, ["EUR"] = 0.92m, ["GBP"] = 0.79m, ["CHF"] = 0.88m, ["JPY"] = 150m, ["CAD"] = 1.36m,
        ["AUD"] = 1.52m, ["NZD"] = 1.65m, ["SEK"] = 10.5m, ["NOK"] = 10.7m, ["DKK"] = 6.87m, ["PLN"] = 4m,
        ["CZK"] = 23m, ["HUF"] = 360m, ["SGD"] = 1.34m, ["HKD"] = 7.8m, ["KRW"] = 1350m, ["INR"] = 83m,
        ["BRL"] = 5.2m, ["MXN"] = 17.5m, ["ZAR"] = 18.5m, ["TRY"] = 32m,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>
    /// The crypto assets of the snapshot: USD close on <see cref="FirstDay"/>, the trend's yearly
    /// growth the walk is pulled towards, the largest daily move, and the walk's seed.
    /// </summary>
    private static readonly AssetWalk[] Walks =
    [
        new("BTC", 42_000m, 0.60m, 0.030m, 0x5EED_0001),
        new("ETH", 2_300m, 0.35m, 0.035m, 0x5EED_0002),
        new("SOL", 100m, 0.50m, 0.050m, 0x5EED_0003),
        new("USDC", 1m, 0m, 0.001m, 0x5EED_0004),
        new("ADA", 0.60m, 0.05m, 0.045m, 0x5EED_0005),
        new("DOT", 8m, -0.10m, 0.045m, 0x5EED_0006),
        new("LINK", 15m, 0.20m, 0.045m, 0x5EED_0007),
    ];

    private static readonly Lazy<FrozenDictionary<string, decimal[]>> Closes = new(Generate);

    /// <summary>The crypto assets of the snapshot, in a fixed order.</summary>
    public static IReadOnlyList<string> CryptoAssets { get; } = [.. Walks.Select(w => w.Asset)];

    /// <summary>Whether the snapshot prices <paramref name="asset"/> (a crypto asset or a fiat currency).</summary>
    public static bool Knows(string asset) => Closes.Value.ContainsKey(asset) || UsdRates.ContainsKey(asset);

    /// <summary>
    /// The close of <paramref name="asset"/> on <paramref name="day"/> (or <see cref="LastDay"/> after
    /// it) in <paramref name="currency"/>; null for an unknown asset or currency, or a day before
    /// <see cref="FirstDay"/>.
    /// </summary>
    public static PricePoint? Close(string asset, string currency, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(asset);
        ArgumentNullException.ThrowIfNull(currency);
        if (day < FirstDay || !UsdRates.TryGetValue(currency, out var rate))
        {
            return null;
        }

        var date = day > LastDay ? LastDay : day;
        decimal usd;
        if (Closes.Value.TryGetValue(asset, out var closes))
        {
            usd = closes[date.DayNumber - FirstDay.DayNumber];
        }
        else if (UsdRates.TryGetValue(asset, out var assetRate))
        {
            usd = 1m / assetRate;
        }
        else
        {
            return null;
        }

        return new PricePoint(asset, date, RoundClose(usd * rate), currency, Source);
    }

    /// <summary>The USD close of a crypto asset of the snapshot on a day within it (for the demo data set).</summary>
    public static decimal UsdClose(string asset, DateOnly day) =>
        Close(asset, "USD", day)?.Close ?? throw new ArgumentOutOfRangeException(nameof(asset), $"The demo snapshot has no close of {asset} on {day:O}.");

    /// <summary>Two decimals from 100 up, four from 1 up, six below (ADA, a fiat rate such as JPY in USD).</summary>
    internal static decimal RoundClose(decimal value) =>
        decimal.Round(value, value >= 100m ? 2 : value >= 1m ? 4 : 6, MidpointRounding.ToEven);

    private static FrozenDictionary<string, decimal[]> Generate()
    {
        var days = LastDay.DayNumber - FirstDay.DayNumber + 1;
        var result = new Dictionary<string, decimal[]>(StringComparer.Ordinal);
        foreach (var walk in Walks)
        {
            var random = new SplitMix64(walk.Seed);
            var closes = new decimal[days];
            var price = walk.Start;
            for (var i = 0; i < days; i++)
            {
                if (i > 0)
                {
                    // A uniform step in [-MaxMove, +MaxMove], plus a pull of 2% of the gap towards a
                    // straight trend line, so four years of walking stay in a plausible band.
                    var trend = walk.Start * (1m + walk.YearlyGrowth * i / 365m);
                    var step = walk.MaxMove * ((2m * random.NextUnit()) - 1m);
                    var pull = 0.02m * ((trend / price) - 1m);
                    price *= 1m + step + pull;
                }

                closes[i] = RoundClose(price);
            }

            result[walk.Asset] = closes;
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private sealed record AssetWalk(string Asset, decimal Start, decimal YearlyGrowth, decimal MaxMove, ulong Seed);

    /// <summary>SplitMix64: a tiny, well-known generator whose output is fixed by its seed on every platform.</summary>
    private sealed class SplitMix64(ulong seed)
    {
        private ulong state = seed;

        /// <summary>A number in [0, 1), with 53 bits of randomness, as a decimal.</summary>
        public decimal NextUnit() => (Next() >> 11) / 9_007_199_254_740_992m;

        private ulong Next()
        {
            unchecked
            {
                var z = state += 0x9E3779B97F4A7C15;
                z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
                z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
                return z ^ (z >> 31);
            }
        }
    }
}
