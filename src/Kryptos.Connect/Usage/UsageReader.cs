using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Usage;

/// <summary>
/// What a workspace's usage page reads: the calls made with the workspace's own OAuth clients
/// (<see cref="ClientIds"/>, whoever's data they read) and with its own API keys, between
/// <see cref="From"/> and <see cref="To"/>, optionally narrowed to one client or one key.
/// </summary>
public sealed record UsageQuery(
    Guid WorkspaceId,
    IReadOnlyCollection<string> ClientIds,
    DateTimeOffset From,
    DateTimeOffset To,
    UsageGranularity Resolution,
    string? ClientId = null,
    Guid? KeyId = null);

/// <summary>The requests of one client or key, route and status in one hour or day of a <see cref="UsageQuery"/>.</summary>
public sealed record UsageSlice(DateTimeOffset Start, string ClientId, Guid KeyId, string Route, int StatusCode, long Count, double LatencySumMs, LatencyHistogram Histogram);

/// <summary>
/// Reads usage at an hour or day resolution from the cheapest source that is complete: daily buckets
/// where days are rolled up, hourly buckets where hours are, and raw records for the rest (the
/// current hour, so the page is live).
/// </summary>
public sealed class UsageReader(KryptosDbContext db)
{
    public async Task<IReadOnlyList<UsageSlice>> ReadAsync(UsageQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var slices = new Dictionary<(DateTimeOffset, string, Guid, string, int), Accumulator>();
        void Add(DateTimeOffset start, string clientId, Guid keyId, string route, int status, long count, double latencySum, LatencyHistogram histogram)
        {
            var slot = query.Resolution == UsageGranularity.Day ? UsageRollup.DayOf(start) : UsageRollup.HourOf(start);
            var key = (slot, clientId, keyId, route, status);
            if (!slices.TryGetValue(key, out var slice))
            {
                slices[key] = slice = new Accumulator();
            }

            slice.Count += count;
            slice.LatencySum += latencySum;
            slice.Histogram.Add(histogram);
        }

        var cursor = query.From;
        if (query.Resolution == UsageGranularity.Day && await UsageRollup.WatermarkAsync(db, UsageGranularity.Day, cancellationToken) is { } daysUntil && daysUntil > cursor)
        {
            var end = Min(daysUntil, query.To);
            foreach (var b in await Buckets(query, UsageGranularity.Day, cursor, end).ToListAsync(cancellationToken))
            {
                Add(b.Start, b.ClientId, b.KeyId, b.Route, b.StatusCode, b.Count, b.LatencySumMs, LatencyHistogram.Parse(b.Histogram));
            }

            cursor = end;
        }

        if (await UsageRollup.WatermarkAsync(db, UsageGranularity.Hour, cancellationToken) is { } hoursUntil && hoursUntil > cursor)
        {
            var end = Min(hoursUntil, query.To);
            foreach (var b in await Buckets(query, UsageGranularity.Hour, cursor, end).ToListAsync(cancellationToken))
            {
                Add(b.Start, b.ClientId, b.KeyId, b.Route, b.StatusCode, b.Count, b.LatencySumMs, LatencyHistogram.Parse(b.Histogram));
            }

            cursor = end;
        }

        if (cursor < query.To)
        {
            var records = Records(query, cursor, query.To)
                .Select(r => new { r.ClientId, r.ApiKeyId, r.Route, r.StatusCode, r.LatencyMs, r.OccurredAt })
                .AsAsyncEnumerable();
            await foreach (var r in records.WithCancellation(cancellationToken))
            {
                var one = new LatencyHistogram();
                one.Add(r.LatencyMs);
                Add(r.OccurredAt, r.ClientId ?? "", r.ApiKeyId ?? Guid.Empty, r.Route, r.StatusCode, 1, r.LatencyMs, one);
            }
        }

        return [.. slices
            .Select(s => new UsageSlice(s.Key.Item1, s.Key.Item2, s.Key.Item3, s.Key.Item4, s.Key.Item5, s.Value.Count, s.Value.LatencySum, s.Value.Histogram))
            .OrderBy(s => s.Start).ThenBy(s => s.ClientId, StringComparer.Ordinal).ThenBy(s => s.KeyId).ThenBy(s => s.Route, StringComparer.Ordinal).ThenBy(s => s.StatusCode)];
    }

    private IQueryable<UsageBucket> Buckets(UsageQuery query, UsageGranularity granularity, DateTimeOffset from, DateTimeOffset to)
    {
        var buckets = db.UsageBuckets.AsNoTracking().Where(b => b.Granularity == granularity && b.Start >= from && b.Start < to);
        var workspaceId = query.WorkspaceId;
        if (query.ClientId is { } clientId)
        {
            return query.ClientIds.Contains(clientId) ? buckets.Where(b => b.ClientId == clientId) : buckets.Where(_ => false);
        }

        if (query.KeyId is { } keyId)
        {
            return buckets.Where(b => b.KeyId == keyId && b.WorkspaceId == workspaceId);
        }

        var clientIds = query.ClientIds.ToList();
        return buckets.Where(b => (b.ClientId != "" && clientIds.Contains(b.ClientId)) || (b.KeyId != Guid.Empty && b.WorkspaceId == workspaceId));
    }

    private IQueryable<UsageRecord> Records(UsageQuery query, DateTimeOffset from, DateTimeOffset to)
    {
        var records = db.UsageRecords.AsNoTracking().Where(r => r.OccurredAt >= from && r.OccurredAt < to);
        var workspaceId = query.WorkspaceId;
        if (query.ClientId is { } clientId)
        {
            return query.ClientIds.Contains(clientId) ? records.Where(r => r.ClientId == clientId) : records.Where(_ => false);
        }

        if (query.KeyId is { } keyId)
        {
            return records.Where(r => r.ApiKeyId == keyId && r.WorkspaceId == workspaceId);
        }

        var clientIds = query.ClientIds.ToList();
        return records.Where(r => (r.ClientId != null && clientIds.Contains(r.ClientId)) || (r.ApiKeyId != null && r.WorkspaceId == workspaceId));
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private sealed class Accumulator
    {
        public long Count { get; set; }

        public double LatencySum { get; set; }

        public LatencyHistogram Histogram { get; } = new();
    }
}
