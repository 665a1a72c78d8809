using Kryptos.Connect.Authorization.ApiAccess;
using Kryptos.Connect.Core.RateLimits;

namespace Kryptos.Connect.ConnectApi;

/// <summary>
/// The Connect API's budget per OAuth client (all its users together) and per API key, checked
/// after authentication on every <c>/v1</c> endpoint that has a caller. Every answer carries the
/// draft's <c>RateLimit-Policy</c> and <c>RateLimit</c> fields; a refusal is 429 with
/// <c>Retry-After</c> and a problem with the code <c>rate_limited</c>. Public endpoints (providers)
/// have no caller and no budget.
/// </summary>
internal sealed class ApiRateLimitFilter(ApiRateLimiter limiter) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Features.Get<ApiCaller>() is not { } caller)
        {
            return await next(context);
        }

        var partition = caller.ApiKeyId is { } keyId
            ? RateLimitPartition.ForKey(keyId)
            : RateLimitPartition.ForClient(RateLimitKind.Api, caller.ClientId ?? "");
        var decision = limiter.Acquire(partition, caller.WorkspaceId);
        decision.WriteHeaders(http.Response);
        if (decision.Allowed)
        {
            return await next(context);
        }

        var who = caller.ApiKeyId is null ? "This app" : "This API key";
        return ApiProblems.Create(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests",
            $"{who} made more than {decision.Quota} requests in a minute. Retry after {decision.ResetSeconds} seconds.");
    }
}
