using System.Globalization;
using System.Threading.RateLimiting;
using Kryptos.Connect.Accounts;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// Rate-limit policies. Rejections answer 429 with Retry-After (the middleware's default is 503,
/// which tells clients the server is down rather than that they should slow down).
/// </summary>
public static class RateLimiting
{
    /// <summary>Login, sign-up and password-reset submissions, per client IP.</summary>
    public const string AccountForms = "account-forms";

    public static IServiceCollection AddKryptosRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var limits = configuration.GetSection(AccountOptions.SectionName).Get<AccountOptions>()?.LoginRateLimit ?? new LoginRateLimitOptions();
        return services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
                var seconds = (int)Math.Ceiling(retryAfter.TotalSeconds);
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync(
                    $"Too many attempts. Please wait {seconds} seconds and try again.", cancellationToken);
            };
            options.AddPolicy(AccountForms, context =>
                HttpMethods.IsPost(context.Request.Method)
                    ? RateLimitPartition.GetFixedWindowLimiter(
                        context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                        _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitsPerIp, Window = limits.Window, QueueLimit = 0 })
                    : RateLimitPartition.GetNoLimiter("read"));
        });
    }
}
