using Kryptos.Connect.Usage;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Usage;

/// <summary>
/// Raw records roll up into hourly and daily buckets, idempotently, and retention prunes old rows.
/// Each test has its own host: the rollup's watermark is global to a database.
/// </summary>
public sealed class UsageRollupTests
{
    private static readonly Guid Workspace = Guid.CreateVersion7();
    private static readonly Guid Key = Guid.CreateVersion7();

    [Fact]
    public async Task ClosedHoursAndDays_RollUp_AndRerunningChangesNothing()
    {
        await using var factory = new FakeClockFactory();
        var now = factory.Clock.GetUtcNow();
        var day = UsageRollup.DayOf(now).AddDays(-3);
        await AddAsync(factory,
            Record(day.AddHours(10).AddMinutes(5), 200, 3),
            Record(day.AddHours(10).AddMinutes(20), 200, 40),
            Record(day.AddHours(10).AddMinutes(40), 500, 700),
            Record(day.AddHours(11).AddMinutes(15), 200, 8),
            Record(day.AddDays(1).AddHours(9), 200, 120),
            Record(day.AddHours(10).AddMinutes(30), 200, 1, key: Key),
            // The current hour is still open: not rolled up.
            Record(now, 200, 2));

        var first = await RunAsync(factory);

        var hourly = await BucketsAsync(factory, UsageGranularity.Hour);
        // By hand: 10:00 holds two 200s of client c1 (3 ms, 40 ms) and one 500 (700 ms), plus the key's
        // call; 11:00 one 200 (8 ms); the next day's 09:00 one 200 (120 ms).
        Assert.Equal(
            [
                (day.AddHours(10), "c1", Guid.Empty, 200, 2L, 43.0),
                (day.AddHours(10), "c1", Guid.Empty, 500, 1L, 700.0),
                (day.AddHours(10), "", Key, 200, 1L, 1.0),
                (day.AddHours(11), "c1", Guid.Empty, 200, 1L, 8.0),
                (day.AddDays(1).AddHours(9), "c1", Guid.Empty, 200, 1L, 120.0),
            ],
            hourly.Select(b => (b.Start, b.ClientId, b.KeyId, b.StatusCode, b.Count, b.LatencySumMs)).OrderBy(b => b.Start).ThenBy(b => b.KeyId).ThenBy(b => b.StatusCode));
        // p95 of (3, 40): rank ⌈0.95 × 2⌉ = 2, the 40 ms request, in the bin up to 50 ms.
        Assert.Equal(50, LatencyHistogram.Parse(hourly.Single(b => b.Start == day.AddHours(10) && b.StatusCode == 200 && b.ClientId == "c1").Histogram).Percentile(95));

        var daily = await BucketsAsync(factory, UsageGranularity.Day);
        Assert.Equal(
            [
                (day, "c1", Guid.Empty, 200, 3L, 51.0),
                (day, "c1", Guid.Empty, 500, 1L, 700.0),
                (day, "", Key, 200, 1L, 1.0),
                (day.AddDays(1), "c1", Guid.Empty, 200, 1L, 120.0),
            ],
            daily.Select(b => (b.Start, b.ClientId, b.KeyId, b.StatusCode, b.Count, b.LatencySumMs)).OrderBy(b => b.Start).ThenBy(b => b.KeyId).ThenBy(b => b.StatusCode));
        // The day's 200s of c1: 3, 8 and 40 ms → bins ≤5, ≤10, ≤50. p50: rank ⌈1.5⌉ = 2 → 10 ms; p95: rank 3 → 50 ms.
        var histogram = LatencyHistogram.Parse(daily.Single(b => b.Start == day && b.StatusCode == 200 && b.ClientId == "c1").Histogram);
        Assert.Equal(10, histogram.Percentile(50));
        Assert.Equal(50, histogram.Percentile(95));
        Assert.Equal(5, first.HourlyBuckets);
        Assert.Equal(4, first.DailyBuckets);

        await RunAsync(factory);
        Assert.Equal(Describe(hourly), Describe(await BucketsAsync(factory, UsageGranularity.Hour)));
        Assert.Equal(Describe(daily), Describe(await BucketsAsync(factory, UsageGranularity.Day)));
    }

    [Fact]
    public async Task Retention_PrunesRowsPastTheirAge_AfterRollingThemUp()
    {
        await using var factory = new FakeClockFactory();
        var now = factory.Clock.GetUtcNow();
        var old = UsageRollup.HourOf(now.AddDays(-31));
        await AddAsync(factory, Record(old.AddMinutes(1), 200, 4), Record(now.AddDays(-2), 200, 4));
        await factory.WithDbAsync(async db =>
        {
            db.UsageBuckets.Add(new UsageBucket { WorkspaceId = Workspace, Granularity = UsageGranularity.Hour, Start = UsageRollup.HourOf(now.AddDays(-91)), ClientId = "c1", Route = "GET /v1/users/me", StatusCode = 200, Count = 1 });
            db.UsageBuckets.Add(new UsageBucket { WorkspaceId = Workspace, Granularity = UsageGranularity.Day, Start = UsageRollup.DayOf(now.AddDays(-401)), ClientId = "c1", Route = "GET /v1/users/me", StatusCode = 200, Count = 1 });
            return await db.SaveChangesAsync();
        });

        var result = await RunAsync(factory);

        // Defaults: raw 30 days, hourly 90, daily 400. The 31-day-old record was rolled up, then pruned.
        Assert.Equal(3, result.Pruned);
        var raw = await factory.WithDbAsync(db => db.UsageRecords.Where(r => r.WorkspaceId == Workspace).Select(r => r.OccurredAt).ToListAsync());
        // Stored to the tenth of a millisecond.
        Assert.True(Math.Abs((Assert.Single(raw) - now.AddDays(-2)).TotalMilliseconds) < 1);
        var hourly = await BucketsAsync(factory, UsageGranularity.Hour);
        Assert.Equal([old, UsageRollup.HourOf(now.AddDays(-2))], hourly.Select(b => b.Start).Order());
        var daily = await BucketsAsync(factory, UsageGranularity.Day);
        Assert.DoesNotContain(daily, b => b.Start < now.AddDays(-400));
        Assert.Contains(daily, b => b.Start == UsageRollup.DayOf(old));
    }

    private static UsageRecord Record(DateTimeOffset at, int status, double latencyMs, Guid? key = null) => new()
    {
        WorkspaceId = Workspace,
        ClientId = key is null ? "c1" : null,
        ApiKeyId = key,
        UserId = key is null ? Guid.CreateVersion7() : null,
        Method = "GET",
        Route = "GET /v1/users/me",
        Scope = "users:read",
        StatusCode = status,
        LatencyMs = latencyMs,
        OccurredAt = at,
    };

    private static Task<int> AddAsync(FakeClockFactory factory, params UsageRecord[] records) =>
        factory.WithDbAsync(db =>
        {
            db.UsageRecords.AddRange(records);
            return db.SaveChangesAsync();
        });

    private static async Task<UsageRollupResult> RunAsync(FakeClockFactory factory)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UsageRollup>().RunAsync();
    }

    private static Task<List<UsageBucket>> BucketsAsync(FakeClockFactory factory, UsageGranularity granularity) =>
        factory.WithDbAsync(db => db.UsageBuckets.Where(b => b.WorkspaceId == Workspace && b.Granularity == granularity).ToListAsync());

    private static List<string> Describe(List<UsageBucket> buckets) =>
        [.. buckets.Select(b => $"{b.Start:O} {b.ClientId} {b.KeyId} {b.Route} {b.StatusCode} {b.Count} {b.LatencySumMs} {b.Histogram}").Order(StringComparer.Ordinal)];
}
