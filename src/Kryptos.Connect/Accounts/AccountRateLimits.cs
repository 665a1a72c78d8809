using System.Threading.RateLimiting;
using SharedWindowLimiter = Kryptos.Connect.Core.RateLimits.SharedWindowLimiter;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// Per-IP ceilings on the account forms (<see cref="AccountRateLimitOptions"/>). They count every
/// submission, so they are set far above human use; failed passwords are <see cref="LoginThrottle"/>'s
/// business. Only POSTs count: showing a form is free. The counts are shared by every instance
/// (<see cref="SharedWindowLimiter"/>), so a script spreading its posts over instances gains nothing.
/// </summary>
public static class AccountRateLimits
{
    public const string Login = "account-login";
    public const string SignUp = "account-signup";
    public const string PasswordReset = "account-password-reset";

    internal static void AddPolicies(RateLimiterOptions options, AccountRateLimitOptions limits)
    {
        options.AddPolicy(Login, context => PerIp(context, Login, limits.LoginAttemptsPerIp, limits.LoginWindow));
        options.AddPolicy(SignUp, context => PerIp(context, SignUp, limits.SignUpsPerIp, limits.FormWindow));
        options.AddPolicy(PasswordReset, context => PerIp(context, PasswordReset, limits.PasswordResetRequestsPerIp, limits.FormWindow));
    }

    private static RateLimitPartition<string> PerIp(HttpContext context, string policy, int permits, TimeSpan window) =>
        HttpMethods.IsPost(context.Request.Method)
            ? SharedWindowLimiter.Partition(context, policy, context.Connection.RemoteIpAddress?.ToString(), permits, window)
            : RateLimitPartition.GetNoLimiter("read");
}
