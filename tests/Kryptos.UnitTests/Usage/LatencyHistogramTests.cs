using Kryptos.Connect.Usage;

namespace Kryptos.UnitTests.Usage;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void Percentiles_AreTheUpperBoundOfTheBinHoldingTheRank()
    {
        var histogram = new LatencyHistogram();
        // 100 requests: 90 at 3 ms (bin ≤5), 6 at 80 ms (bin ≤100), 4 at 3 s (bin ≤5000).
        histogram.Add(3, 90);
        histogram.Add(80, 6);
        histogram.Add(3000, 4);

        // p50: rank 50 → within the first 90 → 5 ms. p95: rank 95 → 91st–96th → 100 ms. p99: rank 99 → 5000 ms.
        Assert.Equal(5, histogram.Percentile(50));
        Assert.Equal(100, histogram.Percentile(95));
        Assert.Equal(5000, histogram.Percentile(99));
        Assert.Equal(5000, histogram.Percentile(100));
        Assert.Equal(100, histogram.Total);
    }

    [Fact]
    public void EmptyHistogram_HasNoPercentile_AndOneRequestIsItsOwnEveryPercentile()
    {
        Assert.Null(new LatencyHistogram().Percentile(95));
        var one = new LatencyHistogram();
        one.Add(0.2);
        Assert.Equal(1, one.Percentile(0));
        Assert.Equal(1, one.Percentile(95));
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(1.0001, 1)]
    [InlineData(50, 5)]
    [InlineData(60000, 13)]
    [InlineData(1e9, 13)]
    [InlineData(double.NaN, 13)]
    public void Bins_IncludeTheirUpperBound_AndTheLastTakesEverythingSlower(double latency, int bin) =>
        Assert.Equal(bin, LatencyHistogram.BinOf(latency));

    [Fact]
    public void Merging_AddsBinByBin_AndFormatRoundTrips()
    {
        var a = new LatencyHistogram();
        a.Add(3, 2);
        var b = new LatencyHistogram();
        b.Add(3);
        b.Add(400, 2);
        a.Add(b);

        Assert.Equal("0,0,3,0,0,0,0,0,2,0,0,0,0,0", a.Format());
        var parsed = LatencyHistogram.Parse(a.Format());
        Assert.Equal(a.Counts, parsed.Counts);
        Assert.Equal(5, parsed.Total);
        // p95 of 3 × 5 ms and 2 × 500 ms: rank ⌈4.75⌉ = 5 → 500 ms; p50: rank 3 → 5 ms.
        Assert.Equal(500, parsed.Percentile(95));
        Assert.Equal(5, parsed.Percentile(50));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("x,-1,\0,99999999999999999999999")]
    public void UnreadableText_CountsZero(string? text) => Assert.Equal(0, LatencyHistogram.Parse(text).Total);
}
