using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Core.RateLimits;

/// <summary>
/// Rate limits of the Connect API and the token endpoint (section <c>RateLimits</c>): requests per
/// minute for each OAuth client and each API key. Operators override them per workspace (an
/// enterprise contract, say) under <c>RateLimits:Workspaces:{workspaceId}</c>; a workspace's own
/// members cannot raise their limits. The limits hold for all instances together: they count in
/// the database (<see cref="SharedCounters"/>).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>Requests per minute to <c>/v1</c> for each OAuth client (all its users together) and each API key.</summary>
    [Range(1, 10_000_000)]
    public int ApiRequestsPerMinute { get; set; } = 600;

    /// <summary>Requests per minute to <c>/oidc/token</c> for each client id.</summary>
    [Range(1, 10_000_000)]
    public int TokenRequestsPerMinute { get; set; } = 120;

    /// <summary>
    /// How often each instance adds its requests to the counters shared in the database and learns the
    /// others' (see <see cref="ApiRateLimiter"/>). Shorter is closer to exact across instances and
    /// costs a statement or two per interval and instance.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:10")]
    public TimeSpan SyncInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Per-workspace overrides, keyed by the workspace's id.</summary>
    public Dictionary<Guid, WorkspaceRateLimits> Workspaces { get; set; } = [];
}

/// <summary>A workspace's own limits; a missing value keeps the default.</summary>
public sealed class WorkspaceRateLimits
{
    [Range(1, 10_000_000)]
    public int? ApiRequestsPerMinute { get; set; }

    [Range(1, 10_000_000)]
    public int? TokenRequestsPerMinute { get; set; }
}
