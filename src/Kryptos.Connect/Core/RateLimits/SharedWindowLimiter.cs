using System.Threading.RateLimiting;

namespace Kryptos.Connect.Core.RateLimits;

/// <summary>
/// A <see cref="RateLimiter"/> for ASP.NET Core's rate-limiting middleware whose count lives in a
/// shared counter (<see cref="ISharedCounters"/>), so a ceiling per address holds across instances:
/// at most <c>permits</c> requests in a window of <c>window</c> that starts with the first request.
/// Meant for rare requests (account forms, leak reports): every request costs one upsert. The
/// middleware tries <see cref="RateLimiter.AttemptAcquire(int)"/> first, which cannot wait for the
/// database, so it answers "not acquired" and the middleware goes on to
/// <see cref="RateLimiter.AcquireAsync(int, CancellationToken)"/>, which counts. Refusals carry
/// <see cref="MetadataName.RetryAfter"/> (the end of the window).
/// </summary>
public sealed class SharedWindowLimiter(ISharedCounters counters, TimeProvider time, string key, int permits, TimeSpan window) : RateLimiter
{
    /// <summary>Nothing is held between requests, so the middleware may drop this limiter whenever it likes.</summary>
    public override TimeSpan? IdleDuration => TimeSpan.Zero;

    public override RateLimiterStatistics? GetStatistics() => null;

    /// <summary>The partition of <paramref name="policy"/> for <paramref name="who"/> (an address), for a policy's partitioner.</summary>
    public static RateLimitPartition<string> Partition(HttpContext context, string policy, string? who, int permits, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = SharedCounters.KeyOf(policy, who);
        var services = context.RequestServices;
        return System.Threading.RateLimiting.RateLimitPartition.Get(key, k => new SharedWindowLimiter(
            services.GetRequiredService<ISharedCounters>(), services.GetRequiredService<TimeProvider>(), k, permits, window));
    }

    protected override RateLimitLease AttemptAcquireCore(int permitCount) => Lease.NotYet;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var totals = await counters.AddAsync([new CounterHit(key, permitCount, now, now + window)], cancellationToken);
        var total = totals[key];
        // Refused requests count too (the window's end does not move), which only matters to a client
        // that keeps hammering: it stays refused until the window ends, like everyone else.
        return total.Count <= permits ? Lease.Granted : new Lease(false, total.WindowEnd - now);
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);
        public static readonly Lease NotYet = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}
