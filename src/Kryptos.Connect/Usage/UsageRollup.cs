using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Usage;

/// <summary>
/// Rolls raw records up into hourly buckets and hourly buckets into daily ones, then prunes what is
/// past its retention. Only closed periods are rolled up (an hour is closed <see cref="LateArrival"/>
/// after its end, so records still in a buffer make it in). Each pass starts where the last one
/// stopped (the latest bucket: the watermark) and replaces the buckets of the periods it computes,
/// in one transaction per chunk, so running it twice, or on two instances, gives the same buckets.
/// </summary>
public sealed partial class UsageRollup(KryptosDbContext db, IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageRollup> logger)
{
    /// <summary>How long after an hour's end its records may still arrive from the writers' buffers.</summary>
    public static readonly TimeSpan LateArrival = TimeSpan.FromMinutes(2);

    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    /// <summary>Hours computed per transaction, so a long backlog does not sit in memory at once.</summary>
    private const int HoursPerChunk = 24;

    /// <summary>One pass at the current time: hours, then days, then retention.</summary>
    public async Task<UsageRollupResult> RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var hours = await RollUpHoursAsync(now, cancellationToken);
        // Every hour before this one is rolled up now, so the days before its day are complete.
        var days = await RollUpDaysAsync(DayOf(HourOf(now - LateArrival)), cancellationToken);
        var pruned = await PruneAsync(now, cancellationToken);
        LogPass(logger, hours, days, pruned);
        return new UsageRollupResult(hours, days, pruned);
    }

    public static DateTimeOffset HourOf(DateTimeOffset t) => new(t.UtcDateTime.Date.AddHours(t.UtcDateTime.Hour), TimeSpan.Zero);

    public static DateTimeOffset DayOf(DateTimeOffset t) => new(t.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>
    /// The end of the latest bucket of <paramref name="granularity"/>, or null when there is none: every
    /// period before it is rolled up (the periods after it may be too, without traffic).
    /// </summary>
    public static async Task<DateTimeOffset?> WatermarkAsync(KryptosDbContext db, UsageGranularity granularity, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        var latest = await db.UsageBuckets.Where(b => b.Granularity == granularity)
            .OrderByDescending(b => b.Start).Select(b => (DateTimeOffset?)b.Start).FirstOrDefaultAsync(cancellationToken);
        return latest + (granularity == UsageGranularity.Hour ? Hour : Day);
    }

    private async Task<int> RollUpHoursAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var until = HourOf(now - LateArrival);
        var from = await WatermarkAsync(db, UsageGranularity.Hour, cancellationToken);
        if (from is null)
        {
            var first = await db.UsageRecords.OrderBy(r => r.OccurredAt).Select(r => (DateTimeOffset?)r.OccurredAt).FirstOrDefaultAsync(cancellationToken);
            from = first is { } t ? HourOf(t) : until;
        }

        var written = 0;
        for (var start = from.Value; start < until; start += Hour * HoursPerChunk)
        {
            var end = start + (Hour * HoursPerChunk) < until ? start + (Hour * HoursPerChunk) : until;
            var records = db.UsageRecords.AsNoTracking()
                .Where(r => r.OccurredAt >= start && r.OccurredAt < end)
                .Select(r => new { r.WorkspaceId, r.ClientId, r.ApiKeyId, r.Route, r.StatusCode, r.LatencyMs, r.OccurredAt })
                .AsAsyncEnumerable();
            var buckets = new Dictionary<BucketKey, Accumulator>();
            await foreach (var r in records.WithCancellation(cancellationToken))
            {
                var key = new BucketKey(r.WorkspaceId, HourOf(r.OccurredAt), r.ClientId ?? "", r.ApiKeyId ?? Guid.Empty, r.Route, r.StatusCode);
                if (!buckets.TryGetValue(key, out var bucket))
                {
                    buckets[key] = bucket = new Accumulator();
                }

                bucket.Count++;
                bucket.LatencySum += r.LatencyMs;
                bucket.Histogram.Add(r.LatencyMs);
            }

            written += await ReplaceAsync(UsageGranularity.Hour, start, end, buckets, cancellationToken);
        }

        return written;
    }

    private async Task<int> RollUpDaysAsync(DateTimeOffset until, CancellationToken cancellationToken)
    {
        var from = await WatermarkAsync(db, UsageGranularity.Day, cancellationToken);
        if (from is null)
        {
            var first = await db.UsageBuckets.Where(b => b.Granularity == UsageGranularity.Hour).OrderBy(b => b.Start).Select(b => (DateTimeOffset?)b.Start).FirstOrDefaultAsync(cancellationToken);
            from = first is { } t ? DayOf(t) : until;
        }

        var written = 0;
        for (var start = from.Value; start < until; start += Day)
        {
            var end = start + Day;
            var hours = await db.UsageBuckets.AsNoTracking()
                .Where(b => b.Granularity == UsageGranularity.Hour && b.Start >= start && b.Start < end)
                .ToListAsync(cancellationToken);
            var buckets = new Dictionary<BucketKey, Accumulator>();
            foreach (var hour in hours)
            {
                var key = new BucketKey(hour.WorkspaceId, start, hour.ClientId, hour.KeyId, hour.Route, hour.StatusCode);
                if (!buckets.TryGetValue(key, out var bucket))
                {
                    buckets[key] = bucket = new Accumulator();
                }

                bucket.Count += hour.Count;
                bucket.LatencySum += hour.LatencySumMs;
                bucket.Histogram.Add(LatencyHistogram.Parse(hour.Histogram));
            }

            written += await ReplaceAsync(UsageGranularity.Day, start, end, buckets, cancellationToken);
        }

        return written;
    }

    /// <summary>Replaces the buckets of [<paramref name="start"/>, <paramref name="end"/>) with <paramref name="buckets"/>, atomically.</summary>
    private async Task<int> ReplaceAsync(UsageGranularity granularity, DateTimeOffset start, DateTimeOffset end, Dictionary<BucketKey, Accumulator> buckets, CancellationToken cancellationToken)
    {
        var rows = buckets.Select(b => new UsageBucket
        {
            WorkspaceId = b.Key.WorkspaceId,
            Granularity = granularity,
            Start = b.Key.Start,
            ClientId = b.Key.ClientId,
            KeyId = b.Key.KeyId,
            Route = b.Key.Route,
            StatusCode = b.Key.StatusCode,
            Count = b.Value.Count,
            LatencySumMs = b.Value.LatencySum,
            Histogram = b.Value.Histogram.Format(),
        }).ToList();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.UsageBuckets.Where(b => b.Granularity == granularity && b.Start >= start && b.Start < end).ExecuteDeleteAsync(cancellationToken);
        await db.BulkInsertAsync(rows, cancellationToken: cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return rows.Count;
    }

    private async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var retention = options.Value.Retention;
        var raw = now - retention.Raw;
        var hourly = now - retention.Hourly;
        var daily = now - retention.Daily;
        var pruned = await db.UsageRecords.Where(r => r.OccurredAt < raw).ExecuteDeleteAsync(cancellationToken);
        pruned += await db.UsageBuckets.Where(b => b.Granularity == UsageGranularity.Hour && b.Start < hourly).ExecuteDeleteAsync(cancellationToken);
        pruned += await db.UsageBuckets.Where(b => b.Granularity == UsageGranularity.Day && b.Start < daily).ExecuteDeleteAsync(cancellationToken);
        return pruned;
    }

    private readonly record struct BucketKey(Guid WorkspaceId, DateTimeOffset Start, string ClientId, Guid KeyId, string Route, int StatusCode);

    private sealed class Accumulator
    {
        public long Count { get; set; }

        public double LatencySum { get; set; }

        public LatencyHistogram Histogram { get; } = new();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage rollup: {Hours} hourly and {Days} daily buckets written, {Pruned} rows past retention removed")]
    private static partial void LogPass(ILogger logger, int hours, int days, int pruned);
}

/// <summary>What one rollup pass did.</summary>
public sealed record UsageRollupResult(int HourlyBuckets, int DailyBuckets, int Pruned);

/// <summary>Runs a <see cref="UsageRollup"/> pass at start and every <see cref="RollupOptions.Interval"/>.</summary>
internal sealed partial class UsageRollupService(IServiceScopeFactory scopes, IOptions<UsageOptions> options, TimeProvider time, ILogger<UsageRollupService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Rollup.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Rollup.Interval, time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<UsageRollup>().RunAsync(stoppingToken);
            }
            catch (Exception exception) when (!stoppingToken.IsCancellationRequested)
            {
                LogFailed(logger, exception);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The usage rollup failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
