using System.Globalization;
using System.Threading.RateLimiting;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// The rate-limiting middleware, with a rejection every client understands: 429 with Retry-After (the
/// middleware's default is 503, which tells clients the server is down rather than that they should
/// slow down). Features add their own policies.
/// </summary>
public static class RateLimiting
{
    public static IServiceCollection AddKryptosRateLimiting(this IServiceCollection services) =>
        services.AddRateLimiter(options =>
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
        });
}
