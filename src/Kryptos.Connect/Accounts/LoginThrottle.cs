using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// Brute-force protection for every password check (the login form, and the password confirmations
/// of the settings and two-factor pages), on the model of Auth0 and Keycloak: <b>failures</b> count,
/// successes do not. An office behind one address, or a person who signs in all day, is never slowed
/// down; someone guessing is.
/// </summary>
/// <remarks>
/// Two counters, in fixed windows of <see cref="LoginThrottleOptions.Window"/>: failures against one
/// account from one address (a success clears it), and failures from one address against any account
/// (password spraying). Over either limit the next attempt is refused before the password is looked
/// at, so a correct guess teaches nothing. Identity's lockout (per account, from anywhere) comes on
/// top. The counters live in each instance's memory.
/// </remarks>
public sealed class LoginThrottle(IOptions<AccountOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Window> _failures = new(StringComparer.Ordinal);
    private long _operations;

    /// <summary>Null when an attempt may go ahead; otherwise how long to wait.</summary>
    public TimeSpan? Check(string normalizedEmail, IPAddress? address)
    {
        var limits = options.Value.Throttle;
        var now = time.GetUtcNow();
        var wait = Over(AccountKey(normalizedEmail, address), limits.FailuresPerAccountAndIp, now);
        var waitIp = Over(IpKey(address), limits.FailuresPerIp, now);
        return wait is null ? waitIp : waitIp is null ? wait : (wait > waitIp ? wait : waitIp);
    }

    public void RecordFailure(string normalizedEmail, IPAddress? address)
    {
        var now = time.GetUtcNow();
        Increment(AccountKey(normalizedEmail, address), now);
        Increment(IpKey(address), now);
        if (Interlocked.Increment(ref _operations) % 1024 == 0)
        {
            Prune(now);
        }
    }

    /// <summary>A correct password clears the failures of this account from this address.</summary>
    public void RecordSuccess(string normalizedEmail, IPAddress? address) =>
        _failures.TryRemove(AccountKey(normalizedEmail, address), out _);

    private TimeSpan? Over(string key, int limit, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var window))
        {
            return null;
        }

        var ends = window.Start + options.Value.Throttle.Window;
        return now < ends && window.Count >= limit ? ends - now : null;
    }

    private void Increment(string key, DateTimeOffset now)
    {
        var length = options.Value.Throttle.Window;
        _failures.AddOrUpdate(key,
            _ => new Window(now, 1),
            (_, window) => now >= window.Start + length ? new Window(now, 1) : window with { Count = window.Count + 1 });
    }

    private void Prune(DateTimeOffset now)
    {
        var length = options.Value.Throttle.Window;
        foreach (var (key, window) in _failures)
        {
            if (now >= window.Start + length)
            {
                _failures.TryRemove(KeyValuePair.Create(key, window));
            }
        }
    }

    private static string AccountKey(string normalizedEmail, IPAddress? address) => $"account:{normalizedEmail}|{address}";

    private static string IpKey(IPAddress? address) => $"ip:{address}";

    private readonly record struct Window(DateTimeOffset Start, int Count);
}
