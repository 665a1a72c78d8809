using System.Net;
using Kryptos.Connect.Core.RateLimits;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// Brute-force protection for every password check (the login form, and the password confirmations
/// of the settings and two-factor pages), on the model of Auth0 and Keycloak: <b>failures</b> count,
/// successes do not. An office behind one address, or a person who signs in all day, is never slowed
/// down; someone guessing is.
/// </summary>
/// <remarks>
/// Two counters, each in a window of <see cref="LoginThrottleOptions.Window"/> that starts at its first
/// failure: failures against one account from one address (a success clears it), and failures from
/// one address against any account (password spraying). Over either limit the next attempt is refused
/// before the password is looked at, so a correct guess teaches nothing. Identity's lockout (per
/// account, from anywhere) comes on top. The counters are shared by every instance
/// (<see cref="ISharedCounters"/>) and exact: a check reads them, a failure adds to them, so failures
/// spread over several instances add up. Failures are rare, so the round trips cost nothing that matters.
/// </remarks>
public sealed class LoginThrottle(ISharedCounters counters, IOptions<AccountOptions> options, TimeProvider time)
{
    /// <summary>Null when an attempt may go ahead; otherwise how long to wait.</summary>
    public async Task<TimeSpan?> CheckAsync(string normalizedEmail, IPAddress? address, CancellationToken cancellationToken = default)
    {
        var limits = options.Value.Throttle;
        var now = time.GetUtcNow();
        var account = AccountKey(normalizedEmail, address);
        var ip = IpKey(address);
        var values = await counters.ReadAsync([account, ip], now, cancellationToken);
        TimeSpan? wait = null;
        foreach (var (key, limit) in new[] { (account, limits.FailuresPerAccountAndIp), (ip, limits.FailuresPerIp) })
        {
            if (values.TryGetValue(key, out var value) && value.Count >= limit && value.WindowEnd - now is var left && (wait is null || left > wait))
            {
                wait = left;
            }
        }

        return wait;
    }

    public Task RecordFailureAsync(string normalizedEmail, IPAddress? address, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var end = now + options.Value.Throttle.Window;
        return counters.AddAsync(
            [new CounterHit(AccountKey(normalizedEmail, address), 1, now, end), new CounterHit(IpKey(address), 1, now, end)],
            cancellationToken);
    }

    /// <summary>A correct password clears the failures of this account from this address.</summary>
    public Task RecordSuccessAsync(string normalizedEmail, IPAddress? address, CancellationToken cancellationToken = default) =>
        counters.ResetAsync(AccountKey(normalizedEmail, address), cancellationToken);

    private static string AccountKey(string normalizedEmail, IPAddress? address) =>
        SharedCounters.KeyOf("login-account", normalizedEmail, address?.ToString());

    private static string IpKey(IPAddress? address) => SharedCounters.KeyOf("login-ip", address?.ToString());
}
