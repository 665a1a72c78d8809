using Kryptos.Connect.Data;
using Kryptos.Connect.Usage;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Portal.Usage;

/// <summary>A period the usage pages show: its query key, its words, and the width of its chart's bars.</summary>
public sealed record UsageRange(string Key, string Label, UsageGranularity Resolution, int Slots)
{
    public static readonly UsageRange Day = new("24h", "last 24 hours", UsageGranularity.Hour, 24);
    public static readonly UsageRange Week = new("7d", "last 7 days", UsageGranularity.Day, 7);
    public static readonly UsageRange Month = new("30d", "last 30 days", UsageGranularity.Day, 30);

    public static IReadOnlyList<UsageRange> All { get; } = [Day, Week, Month];

    public static UsageRange? Parse(string? key) => key is null ? Day : All.FirstOrDefault(r => r.Key == key);

    public TimeSpan Step => Resolution == UsageGranularity.Hour ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    /// <summary>The first slot's start: the current hour or day is the last of <see cref="Slots"/>.</summary>
    public DateTimeOffset FromAt(DateTimeOffset now) =>
        (Resolution == UsageGranularity.Hour ? UsageRollup.HourOf(now) : UsageRollup.DayOf(now)) - (Step * (Slots - 1));

    public DateTimeOffset ToAt(DateTimeOffset now) => FromAt(now) + (Step * Slots);
}

/// <summary>A client's or an API key's own numbers on its page (<c>_UsageSummary</c>): <paramref name="Id"/> prefixes the element ids.</summary>
public sealed record UsageSummary(WorkspaceUsageData Data, string Id, string What, string Link);

/// <summary>The usage of one workspace for a range, with the names of its clients and keys.</summary>
public sealed record WorkspaceUsageData(UsageRange Range, DateTimeOffset From, DateTimeOffset To, IReadOnlyList<UsageSlice> Slices, IReadOnlyDictionary<string, string> ClientNames, IReadOnlyDictionary<Guid, string> KeyNames)
{
    public UsageTotals Totals { get; } = UsageTotals.Of(Slices);

    public string ClientName(string clientId) => ClientNames.TryGetValue(clientId, out var name) ? name : clientId;

    /// <summary>The key's name and masked value, e.g. "Reporting server (kryptos_live_Ab3d…x9Zq)"; a deleted key by the start of its id.</summary>
    public string KeyName(Guid keyId) => KeyNames.TryGetValue(keyId, out var name) ? name : "API key " + keyId.ToString()[..8];
}

/// <summary>
/// Reads a workspace's usage for the portal: the calls made with its own OAuth clients and API keys
/// (see <see cref="UsageQuery"/>), and the names to show for them.
/// </summary>
public sealed class WorkspaceUsage(KryptosDbContext db, UsageReader reader, TimeProvider time)
{
    public async Task<IReadOnlyDictionary<string, string>> ClientNamesAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        await db.OAuthClients.Where(c => c.WorkspaceId == workspaceId && c.ClientId != null)
            .Select(c => new { c.ClientId, c.DisplayName })
            .ToDictionaryAsync(c => c.ClientId!, c => c.DisplayName ?? c.ClientId!, StringComparer.Ordinal, cancellationToken);

    public async Task<WorkspaceUsageData> ReadAsync(Guid workspaceId, UsageRange range, string? clientId = null, Guid? keyId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(range);
        var names = await ClientNamesAsync(workspaceId, cancellationToken);
        var now = time.GetUtcNow();
        var from = range.FromAt(now);
        var to = range.ToAt(now);
        var slices = await reader.ReadAsync(new UsageQuery(workspaceId, [.. names.Keys], from, to, range.Resolution, clientId, keyId), cancellationToken);
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspaceId)
            .Select(k => new { k.Id, k.Name, k.Prefix, k.LastFour })
            .ToDictionaryAsync(k => k.Id, k => $"{k.Name} ({k.Prefix}…{k.LastFour})", cancellationToken);
        return new WorkspaceUsageData(range, from, to, slices, names, keys);
    }

    /// <summary>Connected users per client of the workspace: its clients' valid grants.</summary>
    public async Task<IReadOnlyDictionary<string, int>> ActiveGrantsAsync(Guid workspaceId, CancellationToken cancellationToken) =>
        await db.OAuthGrants
            .Where(g => g.Status == Statuses.Valid && g.Application!.WorkspaceId == workspaceId)
            .GroupBy(g => g.Application!.ClientId!)
            .Select(g => new { ClientId = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.ClientId, g => g.Count, StringComparer.Ordinal, cancellationToken);

}

/// <summary>Counts and latency percentiles of a set of slices.</summary>
public sealed record UsageTotals(long Requests, long Successes, long ClientErrors, long ServerErrors, long Throttled, double? P50, double? P95)
{
    public long Errors => ClientErrors + ServerErrors;

    /// <summary>Share of requests answered below 400, in percent; null without requests.</summary>
    public double? SuccessRate => Requests == 0 ? null : 100.0 * Successes / Requests;

    public static UsageTotals Of(IEnumerable<UsageSlice> slices)
    {
        ArgumentNullException.ThrowIfNull(slices);
        long requests = 0, successes = 0, client = 0, server = 0, throttled = 0;
        var histogram = new LatencyHistogram();
        foreach (var s in slices)
        {
            requests += s.Count;
            histogram.Add(s.Histogram);
            switch (s.StatusCode)
            {
                case < 400:
                    successes += s.Count;
                    break;
                case < 500:
                    client += s.Count;
                    throttled += s.StatusCode == 429 ? s.Count : 0;
                    break;
                default:
                    server += s.Count;
                    break;
            }
        }

        return new UsageTotals(requests, successes, client, server, throttled, histogram.Percentile(50), histogram.Percentile(95));
    }
}
