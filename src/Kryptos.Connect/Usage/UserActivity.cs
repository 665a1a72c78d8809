using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Usage;

/// <summary>What one connected app read of one person's data in the last <see cref="UserActivity.Window"/>.</summary>
/// <param name="GrantId">The grant (one app, one workspace) the calls were made under.</param>
/// <param name="LastReadAt">The last successful call; null when it has read nothing in the window.</param>
/// <param name="Reads">Successful calls per scope, most read first; a null scope is a call to an endpoint that needs none.</param>
/// <param name="Refused">Calls that were answered with an error (a missing scope, a bad request, a rate limit).</param>
public sealed record AppActivity(string GrantId, DateTimeOffset? LastReadAt, IReadOnlyList<ScopeReads> Reads, int Refused)
{
    public int TotalReads => Reads.Sum(r => r.Count);
}

public sealed record ScopeReads(string? Scope, int Count);

/// <summary>One call of an app's access log, as its person sees it.</summary>
public sealed record AccessLogEntry(DateTimeOffset At, string Route, int StatusCode);

/// <summary>
/// The person's side of metering: for each app they connected, when it last read their data, how
/// often per scope, and a short access log. Read from the raw usage records, which
/// <c>Usage:Retention:Raw</c> keeps 30 days by default; only the person's own grants are read, and
/// calls made with a workspace's API keys are never attributed to a person.
/// </summary>
public sealed class UserActivity(KryptosDbContext db, TimeProvider time)
{
    public static readonly TimeSpan Window = TimeSpan.FromDays(30);

    /// <summary>The most entries an access log shows.</summary>
    public const int LogSize = 100;

    /// <summary>The activity of <paramref name="grantIds"/> (grants of <paramref name="userId"/>) over the last 30 days, by grant.</summary>
    public async Task<IReadOnlyDictionary<string, AppActivity>> ForGrantsAsync(Guid userId, IReadOnlyCollection<string> grantIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(grantIds);
        if (grantIds.Count == 0)
        {
            return new Dictionary<string, AppActivity>(StringComparer.Ordinal);
        }

        var since = time.GetUtcNow() - Window;
        var mine = db.UsageRecords.AsNoTracking()
            .Where(r => r.UserId == userId && r.GrantId != null && grantIds.Contains(r.GrantId) && r.OccurredAt >= since);
        var counts = await mine
            .GroupBy(r => new { r.GrantId, r.Scope, Ok = r.StatusCode < 400 })
            .Select(g => new { g.Key.GrantId, g.Key.Scope, g.Key.Ok, Count = g.Count() })
            .ToListAsync(cancellationToken);

        var activity = new Dictionary<string, AppActivity>(StringComparer.Ordinal);
        foreach (var grant in counts.GroupBy(c => c.GrantId!, StringComparer.Ordinal))
        {
            // The last successful call: one ordered lookup per app with activity, on the user+client+time index.
            var last = await mine.Where(r => r.GrantId == grant.Key && r.StatusCode < 400)
                .OrderByDescending(r => r.OccurredAt).Select(r => (DateTimeOffset?)r.OccurredAt).FirstOrDefaultAsync(cancellationToken);
            var reads = grant.Where(c => c.Ok).Select(c => new ScopeReads(c.Scope, c.Count)).OrderByDescending(r => r.Count).ThenBy(r => r.Scope, StringComparer.Ordinal).ToList();
            activity[grant.Key] = new AppActivity(grant.Key, last, reads, grant.Where(c => !c.Ok).Sum(c => c.Count));
        }

        return activity;
    }

    /// <summary>The latest calls of one of <paramref name="userId"/>'s grants, newest first.</summary>
    public async Task<IReadOnlyList<AccessLogEntry>> LogAsync(Guid userId, string grantId, CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow() - Window;
        return await db.UsageRecords.AsNoTracking()
            .Where(r => r.UserId == userId && r.GrantId == grantId && r.OccurredAt >= since)
            .OrderByDescending(r => r.OccurredAt)
            .Take(LogSize)
            .Select(r => new AccessLogEntry(r.OccurredAt, r.Route, r.StatusCode))
            .ToListAsync(cancellationToken);
    }
}
