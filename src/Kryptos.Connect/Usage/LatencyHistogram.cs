using System.Globalization;

namespace Kryptos.Connect.Usage;

/// <summary>
/// Request latencies counted in fixed bins, so hours add up to days and percentiles come from
/// buckets without keeping every latency. A percentile is the upper bound of the bin that holds the
/// request of that rank: a conservative figure, never lower than the truth, at most one bin off.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Upper bounds (inclusive) of the bins in milliseconds; the last bin also takes anything slower.</summary>
    public static readonly IReadOnlyList<double> UpperBoundsMs = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, 60000];

    private readonly long[] _counts = new long[UpperBoundsMs.Count];

    public IReadOnlyList<long> Counts => _counts;

    public long Total { get; private set; }

    public void Add(double latencyMs, long count = 1)
    {
        _counts[BinOf(latencyMs)] += count;
        Total += count;
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += other._counts[i];
        }

        Total += other.Total;
    }

    public static int BinOf(double latencyMs)
    {
        for (var i = 0; i < UpperBoundsMs.Count - 1; i++)
        {
            if (latencyMs <= UpperBoundsMs[i])
            {
                return i;
            }
        }

        return UpperBoundsMs.Count - 1;
    }

    /// <summary>
    /// The latency under which <paramref name="percentile"/> (0–100) of the requests fall: the upper
    /// bound of the bin holding the request of rank ⌈p/100 × total⌉; null without requests.
    /// </summary>
    public double? Percentile(double percentile)
    {
        if (Total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperBoundsMs[i];
            }
        }

        return UpperBoundsMs[^1];
    }

    public string Format() => string.Join(',', _counts.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Reads <see cref="Format"/>'s text; a missing or unreadable bin counts zero.</summary>
    public static LatencyHistogram Parse(string? text)
    {
        var histogram = new LatencyHistogram();
        if (string.IsNullOrEmpty(text))
        {
            return histogram;
        }

        var parts = text.Split(',');
        for (var i = 0; i < Math.Min(parts.Length, histogram._counts.Length); i++)
        {
            if (long.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                histogram._counts[i] = count;
                histogram.Total += count;
            }
        }

        return histogram;
    }
}
