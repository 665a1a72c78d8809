using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Core.RateLimits;

/// <summary>Which budget a request draws from.</summary>
public enum RateLimitKind
{
    /// <summary>The Connect API (<c>/v1</c>).</summary>
    Api,

    /// <summary>The token endpoint (<c>/oidc/token</c>).</summary>
    Token,
}

/// <summary>
/// Who a budget belongs to: an OAuth client (by client id) or an API key (by id).
/// </summary>
public readonly record struct RateLimitPartition(RateLimitKind Kind, string? ClientId, Guid? ApiKeyId)
{
    public static RateLimitPartition ForClient(RateLimitKind kind, string clientId) => new(kind, clientId, null);

    public static RateLimitPartition ForKey(Guid apiKeyId) => new(RateLimitKind.Api, null, apiKeyId);
}

/// <summary>
/// The outcome of one request against its budget, with what the IETF httpapi draft's
/// <c>RateLimit-Policy</c> and <c>RateLimit</c> fields advertise: the quota and window of the policy,
/// what remains in this window and the seconds until it resets.
/// </summary>
public readonly record struct RateLimitDecision(bool Allowed, string Policy, int Quota, int WindowSeconds, int Remaining, int ResetSeconds)
{
    /// <summary><c>"api";q=600;w=60</c></summary>
    public string PolicyHeader => string.Create(CultureInfo.InvariantCulture, $"\"{Policy}\";q={Quota};w={WindowSeconds}");

    /// <summary><c>"api";r=599;t=42</c></summary>
    public string StateHeader => string.Create(CultureInfo.InvariantCulture, $"\"{Policy}\";r={Remaining};t={ResetSeconds}");

    /// <summary>Writes <c>RateLimit-Policy</c> and <c>RateLimit</c>, plus <c>Retry-After</c> when refused.</summary>
    public void WriteHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers["RateLimit-Policy"] = PolicyHeader;
        response.Headers["RateLimit"] = StateHeader;
        if (!Allowed)
        {
            response.Headers.RetryAfter = ResetSeconds.ToString(CultureInfo.InvariantCulture);
        }
    }
}

/// <summary>
/// Fixed one-minute windows, aligned to the clock's minutes, counted in memory per client and per
/// API key. Written here rather than with <c>System.Threading.RateLimiting</c> because the response
/// fields need the remaining quota and the reset time of the caller's own window, which its
/// partitioned limiters do not expose, and because windows follow <see cref="TimeProvider"/>, so tests
/// move the clock instead of sleeping. The state is per instance; with
/// <see cref="RateLimitOptions.Instances"/> &gt; 1 each instance enforces its share of the budget.
/// </summary>
public sealed class ApiRateLimiter(IOptionsMonitor<RateLimitOptions> options, TimeProvider time)
{
    public const int WindowSeconds = 60;

    /// <summary>Above this many partitions, windows that ended are swept away (at most once a minute).</summary>
    private const int SweepAbove = 10_000;

    private readonly ConcurrentDictionary<RateLimitPartition, Window> _windows = new();
    private long _lastSweep;

    /// <summary>How many partitions are counted now; for tests and diagnostics.</summary>
    public int PartitionCount => _windows.Count;

    /// <summary>Counts one request of <paramref name="partition"/> (of <paramref name="workspaceId"/>, for its overrides) and says whether it may proceed.</summary>
    public RateLimitDecision Acquire(RateLimitPartition partition, Guid? workspaceId)
    {
        var quota = QuotaFor(partition.Kind, workspaceId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowStart = now - (now % (WindowSeconds * 1000L));
        var reset = (int)Math.Max(1, Math.Ceiling(((windowStart + (WindowSeconds * 1000L)) - now) / 1000.0));
        var policy = partition.Kind == RateLimitKind.Api ? "api" : "token";
        var window = _windows.GetOrAdd(partition, static _ => new Window());
        bool allowed;
        int remaining;
        lock (window)
        {
            if (window.Start != windowStart)
            {
                window.Start = windowStart;
                window.Count = 0;
            }

            allowed = window.Count < quota;
            if (allowed)
            {
                window.Count++;
            }

            remaining = Math.Max(0, quota - window.Count);
        }

        if (_windows.Count > SweepAbove)
        {
            Sweep(windowStart, now);
        }

        return new RateLimitDecision(allowed, policy, quota, WindowSeconds, remaining, reset);
    }

    /// <summary>This instance's quota: the workspace's limit divided among the instances (at least 1).</summary>
    public int QuotaFor(RateLimitKind kind, Guid? workspaceId) =>
        Math.Max(1, PerMinute(kind, workspaceId) / Math.Max(1, options.CurrentValue.Instances));

    /// <summary>The workspace's limit a minute, its override or the default, for all instances together.</summary>
    public int PerMinute(RateLimitKind kind, Guid? workspaceId)
    {
        var current = options.CurrentValue;
        var workspace = workspaceId is { } id && current.Workspaces.TryGetValue(id, out var own) ? own : null;
        return kind == RateLimitKind.Api
            ? workspace?.ApiRequestsPerMinute ?? current.ApiRequestsPerMinute
            : workspace?.TokenRequestsPerMinute ?? current.TokenRequestsPerMinute;
    }

    /// <summary>Whether any workspace has its own limits (the token endpoint then needs the client's workspace).</summary>
    public bool HasWorkspaceOverrides => options.CurrentValue.Workspaces.Count > 0;

    private void Sweep(long windowStart, long now)
    {
        var last = Interlocked.Read(ref _lastSweep);
        if (now - last < WindowSeconds * 1000L || Interlocked.CompareExchange(ref _lastSweep, now, last) != last)
        {
            return;
        }

        foreach (var (partition, window) in _windows)
        {
            if (Volatile.Read(ref window.Start) < windowStart)
            {
                _windows.TryRemove(new KeyValuePair<RateLimitPartition, Window>(partition, window));
            }
        }
    }

    private sealed class Window
    {
        public long Start;
        public int Count;
    }
}
