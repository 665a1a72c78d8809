using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using Kryptos.Connect.Core.RateLimits;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// The token endpoint's budget per client id (<see cref="ApiRateLimiter"/>, kind
/// <see cref="RateLimitKind.Token"/>), checked before OpenIddict reads the request. The client id
/// comes from HTTP Basic authentication or the form's <c>client_id</c> (RFC 6749 §2.3.1); a request
/// without one is left to OpenIddict, which refuses it. Refusals are 429 with <c>Retry-After</c>, the
/// draft's <c>RateLimit</c> fields and an OAuth-style JSON error, <c>too_many_requests</c>.
/// </summary>
internal sealed partial class TokenRateLimits(RequestDelegate next, ApiRateLimiter limiter, IServiceScopeFactory scopes, ILogger<TokenRateLimits> logger)
{
    public const string TokenPath = "/oidc/token";

    /// <summary>Client ids whose workspace was looked up (for per-workspace overrides); bounded so junk ids cannot grow it.</summary>
    private const int MaxRemembered = 10_000;

    private readonly ConcurrentDictionary<string, Guid?> _workspaces = new(StringComparer.Ordinal);

    public async Task InvokeAsync(HttpContext context)
    {
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.Path.Equals(TokenPath, StringComparison.OrdinalIgnoreCase)
            || await ClientIdOfAsync(context.Request) is not { } clientId)
        {
            await next(context);
            return;
        }

        var workspaceId = limiter.HasWorkspaceOverrides ? await WorkspaceOfAsync(clientId, context.RequestAborted) : null;
        var decision = limiter.Acquire(RateLimitPartition.ForClient(RateLimitKind.Token, clientId), workspaceId);
        decision.WriteHeaders(context.Response);
        if (decision.Allowed)
        {
            await next(context);
            return;
        }

        LogRefused(logger, decision.Quota);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.WriteAsJsonAsync(new Dictionary<string, string>
        {
            ["error"] = "too_many_requests",
            ["error_description"] = $"This client made more than {decision.Quota} token requests in a minute. Retry after {decision.ResetSeconds} seconds.",
        }, context.RequestAborted);
    }

    private static async Task<string?> ClientIdOfAsync(HttpRequest request)
    {
        if (AuthenticationHeaderValue.TryParse(request.Headers.Authorization, out var header)
            && string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) && header.Parameter is { } parameter)
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(parameter));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                if (colon > 0)
                {
                    return Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
                }
            }
            catch (FormatException)
            {
                // Not Base64: OpenIddict answers it.
            }

            return null;
        }

        if (!request.HasFormContentType)
        {
            return null;
        }

        try
        {
            var form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
            return form.TryGetValue("client_id", out var values) && values.Count == 1 && !string.IsNullOrEmpty(values[0]) && values[0]!.Length <= 200
                ? values[0]
                : null;
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
        {
            // An unreadable body is answered by OpenIddict's handler as invalid_request.
            return null;
        }
    }

    private async ValueTask<Guid?> WorkspaceOfAsync(string clientId, CancellationToken cancellationToken)
    {
        if (_workspaces.TryGetValue(clientId, out var known))
        {
            return known;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var workspaceId = await db.OAuthClients.AsNoTracking().Where(c => c.ClientId == clientId).Select(c => (Guid?)c.WorkspaceId).SingleOrDefaultAsync(cancellationToken);
        if (_workspaces.Count < MaxRemembered)
        {
            _workspaces.TryAdd(clientId, workspaceId);
        }

        return workspaceId;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused a token request over the client's limit of {Quota} a minute")]
    private static partial void LogRefused(ILogger logger, int quota);
}
