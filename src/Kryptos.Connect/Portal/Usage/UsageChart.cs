using System.Globalization;
using Kryptos.Connect.Usage;

namespace Kryptos.Connect.Portal.Usage;

/// <summary>
/// The geometry of the requests-over-time chart, drawn as server-rendered SVG: one stacked bar per
/// hour or day (successes, errors, 429s), a y axis with round ticks, time labels on the x axis.
/// </summary>
public sealed class UsageChart
{
    public const double Width = 720;
    public const double Height = 260;
    public const double Left = 56;
    public const double Right = 12;
    public const double Top = 16;
    public const double Bottom = 48;

    public UsageChart(WorkspaceUsageData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        Unit = data.Range.Resolution == UsageGranularity.Hour ? "hour" : "day";
        var slots = Enumerable.Range(0, data.Range.Slots).Select(i => data.From + (data.Range.Step * i)).ToList();
        var bySlot = data.Slices.GroupBy(s => s.Start).ToDictionary(g => g.Key, g => g.ToList());
        Points = [.. slots.Select(start =>
        {
            var slices = bySlot.TryGetValue(start, out var list) ? list : [];
            var throttled = slices.Where(s => s.StatusCode == 429).Sum(s => s.Count);
            var errors = slices.Where(s => s.StatusCode >= 400 && s.StatusCode != 429).Sum(s => s.Count);
            return new ChartPoint(start, slices.Sum(s => s.Count) - errors - throttled, errors, throttled);
        })];
        Max = NiceCeiling(Points.Max(p => p.Total));
    }

    public IReadOnlyList<ChartPoint> Points { get; }

    /// <summary>"hour" or "day": what one bar counts.</summary>
    public string Unit { get; }

    /// <summary>The top of the y axis: a round number at or above the tallest bar.</summary>
    public long Max { get; }

    public static double PlotWidth => Width - Left - Right;

    public static double PlotHeight => Height - Top - Bottom;

    public double BarWidth => PlotWidth / Points.Count;

    public double X(int index) => Left + (index * BarWidth);

    public double Y(double value) => Top + PlotHeight - (value / Max * PlotHeight);

    public double H(double value) => value / Max * PlotHeight;

    public IEnumerable<long> Ticks => Enumerable.Range(0, 5).Select(i => Max * i / 4).Distinct();

    /// <summary>Whether bar <paramref name="index"/> gets a time label (about six labels in all).</summary>
    public bool Labelled(int index) => Points.Count <= 8 || index % (Points.Count <= 24 ? 4 : 5) == 0;

    public string Label(DateTimeOffset start) => Unit == "hour"
        ? start.ToString("HH:mm", CultureInfo.InvariantCulture)
        : start.ToString("MMM d", CultureInfo.InvariantCulture);

    public static string F(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    private static long NiceCeiling(long value)
    {
        if (value <= 4)
        {
            return 4;
        }

        var magnitude = (long)Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1, 2, 4, 5, 8, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }
}

public sealed record ChartPoint(DateTimeOffset Start, long Successes, long Errors, long Throttled)
{
    public long Total => Successes + Errors + Throttled;
}
