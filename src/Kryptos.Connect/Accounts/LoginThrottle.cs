using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// Limits login attempts per account, whatever the caller's address, so that a distributed guess
/// at one account slows down before lockout. The per-IP limit is the "account-forms" policy of the
/// rate-limiting middleware.
/// </summary>
public sealed class LoginThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public LoginThrottle(IOptions<AccountOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var limits = options.Value.LoginRateLimit;
        _limiter = PartitionedRateLimiter.Create<string, string>(account =>
            RateLimitPartition.GetFixedWindowLimiter(account, _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = limits.PermitsPerAccount,
                Window = limits.Window,
                QueueLimit = 0,
            }));
    }

    /// <summary>Takes one attempt for <paramref name="normalizedEmail"/>; returns the wait when refused.</summary>
    public TimeSpan? TryAcquire(string normalizedEmail)
    {
        using var lease = _limiter.AttemptAcquire(normalizedEmail);
        if (lease.IsAcquired)
        {
            return null;
        }

        return lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromMinutes(1);
    }

    public void Dispose() => _limiter.Dispose();
}
