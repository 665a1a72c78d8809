using Kryptos.Connect.Core.RateLimits;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Authorization.ApiKeys;

/// <summary>
/// Limits of <c>POST /v1/keys/leaked</c>, the public endpoint secret scanners call: a body of at most
/// <see cref="MaxCandidates"/> strings of at most <see cref="MaxCandidateLength"/> characters, and
/// <see cref="PermitsPerMinute"/> reports a minute per IP address, far above a scanner's needs and far
/// below what guessing keys would take (256 random bits per key). The count per IP is shared by every
/// instance (<see cref="SharedWindowLimiter"/>).
/// </summary>
public static class ApiKeyLeakReports
{
    public const string RateLimitPolicy = "apikeys-leak-reports";
    public const int MaxCandidates = 100;
    public const int MaxCandidateLength = 200;
    public const int PermitsPerMinute = 30;

    internal static void AddPolicy(RateLimiterOptions options) =>
        options.AddPolicy(RateLimitPolicy, context => SharedWindowLimiter.Partition(
            context, RateLimitPolicy, context.Connection.RemoteIpAddress?.ToString(), PermitsPerMinute, TimeSpan.FromMinutes(1)));
}
