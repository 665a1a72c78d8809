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
/// Fixed one-minute windows, aligned to the clock's minutes, per OAuth client and per API key, shared
/// by every instance without a database round trip per request. Each instance counts locally and
/// decides with <c>last known global count + its own unsynchronised count</c>;
/// <see cref="ApiRateLimitSync"/> adds the local deltas to the shared counters every
/// <see cref="RateLimitOptions.SyncInterval"/> (<see cref="SyncAsync"/>) and learns the global totals
/// in the same statement.
/// </summary>
/// <remarks>
/// <para>
/// Written here rather than with <c>System.Threading.RateLimiting</c> because the response fields need
/// the remaining quota and the reset time of the caller's own window, which its partitioned limiters
/// do not expose, and because windows follow <see cref="TimeProvider"/>, so tests move the clock
/// instead of sleeping.
/// </para>
/// <para>
/// The price of no round trip: an instance learns what the others admitted at most two sync intervals
/// late (their sync, then its own), so a window can admit more than its quota, by at most the
/// client's combined request rate over all instances times twice the interval (600 requests a minute
/// and 500 ms: about 10 requests in the worst case), and never more than the quota on each instance.
/// A single instance is exact. When the database cannot be reached, each instance goes on enforcing
/// the whole quota on its own and retries the deltas at the next sync.
/// </para>
/// </remarks>
public sealed partial class ApiRateLimiter(IOptionsMonitor<RateLimitOptions> options, TimeProvider time, ISharedCounters counters, ILogger<ApiRateLimiter> logger)
{
    public const int WindowSeconds = 60;

    private const long WindowMilliseconds = WindowSeconds * 1000L;

    private readonly ConcurrentDictionary<RateLimitPartition, Window> _windows = new();
    /// <summary>1 while a sync runs: one at a time, and a second caller has nothing left to send.</summary>
    private int _syncing;

    /// <summary>How many partitions are counted now; for tests and diagnostics.</summary>
    public int PartitionCount => _windows.Count;

    /// <summary>Counts one request of <paramref name="partition"/> (of <paramref name="workspaceId"/>, for its overrides) and says whether it may proceed.</summary>
    public RateLimitDecision Acquire(RateLimitPartition partition, Guid? workspaceId)
    {
        var quota = PerMinute(partition.Kind, workspaceId);
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var windowStart = now - (now % WindowMilliseconds);
        var reset = (int)Math.Max(1, Math.Ceiling(((windowStart + WindowMilliseconds) - now) / 1000.0));
        var policy = partition.Kind == RateLimitKind.Api ? "api" : "token";
        while (true)
        {
            var window = _windows.GetOrAdd(partition, static _ => new Window());
            lock (window)
            {
                if (window.Removed)
                {
                    // The sync swept this window away after we found it: count in its successor.
                    continue;
                }

                if (window.Start != windowStart)
                {
                    window.Start = windowStart;
                    window.Known = 0;
                    window.InFlight = 0;
                    window.Pending = 0;
                }

                var used = window.Known + window.InFlight + window.Pending;
                var allowed = used < quota;
                if (allowed)
                {
                    window.Pending++;
                    used++;
                }

                return new RateLimitDecision(allowed, policy, quota, WindowSeconds, Math.Max(0, quota - used), reset);
            }
        }
    }

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

    /// <summary>
    /// One exchange with the shared counters: adds every window's unsynchronised requests (one
    /// statement) and reads the totals of the windows that had none here, so this instance learns
    /// what the others admitted. Windows that ended and have nothing to send are forgotten.
    /// </summary>
    public async Task SyncAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _syncing, 1) == 1)
        {
            return;
        }

        try
        {
            var now = time.GetUtcNow().ToUnixTimeMilliseconds();
            var current = now - (now % WindowMilliseconds);
            var sends = new List<(Window Window, long Start, string Key, int Delta)>();
            var reads = new List<(Window Window, long Start, string Key)>();
            foreach (var (partition, window) in _windows)
            {
                lock (window)
                {
                    if (window.Pending > 0)
                    {
                        var key = KeyOf(partition, window.Start);
                        sends.Add((window, window.Start, key, window.Pending));
                        window.InFlight += window.Pending;
                        window.Pending = 0;
                    }
                    else if (window.Start == current)
                    {
                        reads.Add((window, window.Start, KeyOf(partition, window.Start)));
                    }
                    else if (window.InFlight == 0)
                    {
                        window.Removed = true;
                        _windows.TryRemove(new KeyValuePair<RateLimitPartition, Window>(partition, window));
                    }
                }
            }

            await SendAsync(sends, cancellationToken);
            await ReadAsync(reads, now, cancellationToken);
        }
        finally
        {
            Volatile.Write(ref _syncing, 0);
        }
    }

    private async Task SendAsync(List<(Window Window, long Start, string Key, int Delta)> sends, CancellationToken cancellationToken)
    {
        if (sends.Count == 0)
        {
            return;
        }

        IReadOnlyDictionary<string, CounterValue>? totals = null;
        try
        {
            totals = await counters.AddAsync(
                [.. sends.Select(s => new CounterHit(s.Key, s.Delta, DateTimeOffset.FromUnixTimeMilliseconds(s.Start), DateTimeOffset.FromUnixTimeMilliseconds(s.Start + WindowMilliseconds)))],
                cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSyncFailed(logger, exception);
        }

        foreach (var (window, start, key, delta) in sends)
        {
            lock (window)
            {
                if (window.Start != start)
                {
                    continue; // The window ended meanwhile; its count no longer matters here.
                }

                window.InFlight -= delta;
                if (totals is null)
                {
                    window.Pending += delta; // Not sent: try again at the next sync.
                }
                else if (totals.TryGetValue(key, out var total))
                {
                    window.Known = (int)Math.Min(int.MaxValue, Math.Max(window.Known, total.Count));
                }
            }
        }
    }

    private async Task ReadAsync(List<(Window Window, long Start, string Key)> reads, long now, CancellationToken cancellationToken)
    {
        if (reads.Count == 0)
        {
            return;
        }

        IReadOnlyDictionary<string, CounterValue> totals;
        try
        {
            totals = await counters.ReadAsync([.. reads.Select(r => r.Key)], DateTimeOffset.FromUnixTimeMilliseconds(now), cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogSyncFailed(logger, exception);
            return;
        }

        foreach (var (window, start, key) in reads)
        {
            if (totals.TryGetValue(key, out var total))
            {
                lock (window)
                {
                    if (window.Start == start)
                    {
                        window.Known = (int)Math.Min(int.MaxValue, Math.Max(window.Known, total.Count));
                    }
                }
            }
        }
    }

    /// <summary>The shared counter of a partition's window: kind, who, and the window's start.</summary>
    private static string KeyOf(RateLimitPartition partition, long windowStart) =>
        SharedCounters.KeyOf(partition.Kind == RateLimitKind.Api ? "api" : "token",
            partition.ClientId, partition.ApiKeyId?.ToString("N"), windowStart.ToString(CultureInfo.InvariantCulture));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Synchronising the rate limits with the database failed; each instance counts on its own until it works again")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception);

    private sealed class Window
    {
        public long Start;

        /// <summary>The global count of the window as last read from the database (this instance's synced requests included).</summary>
        public int Known;

        /// <summary>Sent to the database by the running sync, not yet reflected in <see cref="Known"/>.</summary>
        public int InFlight;

        /// <summary>Admitted here since the last sync.</summary>
        public int Pending;

        public bool Removed;
    }
}

/// <summary>
/// Runs <see cref="ApiRateLimiter.SyncAsync"/> every <see cref="RateLimitOptions.SyncInterval"/> of real
/// time (a test's clock may stand still), and once more on shutdown so the last counts are not lost.
/// </summary>
internal sealed class ApiRateLimitSync(ApiRateLimiter limiter, IOptionsMonitor<RateLimitOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.CurrentValue.SyncInterval, TimeProvider.System, stoppingToken);
                await limiter.SyncAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await limiter.SyncAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Shutdown ran out of time: the counts of the last interval are lost, nothing else.
        }
    }
}
