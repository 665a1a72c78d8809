using System.Collections.Concurrent;
using System.Diagnostics;
using Kryptos.Connect.Authorization.ApiAccess;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Usage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Kryptos.Connect.ConnectApi;

public static class ApiMeteringExtensions
{
    /// <summary>
    /// Meters every <c>/v1</c> request into the usage buffer (see <see cref="UsageRecorder"/>). Call
    /// it first, before the host's middleware, so that what they answer (429s of the rate limiter,
    /// 401s and 403s of authorization, 404s, errors) is metered too. Off with
    /// <c>Usage:Metering:Enabled=false</c>: then nothing is added to the pipeline.
    /// </summary>
    public static WebApplication UseConnectApiMetering(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<UsageRecorder>().Enabled)
        {
            app.UseWhen(ConnectApiExtensions.IsApiRequest, api => api.UseMiddleware<ApiMeteringMiddleware>());
        }

        return app;
    }

    /// <summary>
    /// Checks on /v1 requests that must answer with a problem document before the portal's pipeline
    /// (whose error pages are HTML) could: a NUL character in the query string is a 400.
    /// </summary>
    public static WebApplication UseConnectApiRequestChecks(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(ConnectApiExtensions.IsApiRequest, api => api.Use(next => async context =>
        {
            if (HostingExtensions.HasNulInQuery(context.Request))
            {
                await ApiProblems.BadRequest("invalid_request", "The query string contains a NUL character.").ExecuteAsync(context);
                return;
            }

            await next(context);
        }));
        return app;
    }
}

/// <summary>
/// Measures a <c>/v1</c> request and hands its plain values to the <see cref="UsageRecorder"/>
/// (which never waits). The caller comes from the <see cref="ApiCaller"/> feature the authentication
/// set; the route template and scope from the endpoint's metadata, read once per endpoint. A request
/// that never authenticated belongs to no workspace: it is counted globally only.
/// </summary>
internal sealed class ApiMeteringMiddleware(RequestDelegate next, UsageRecorder recorder, TimeProvider time)
{
    /// <summary>Route text and scope per endpoint and method: endpoints live as long as the app.</summary>
    private static readonly ConcurrentDictionary<(Endpoint Endpoint, string Method), (string Route, string? Scope)> Endpoints = new();

    private static readonly HashSet<string> KnownMethods = new(StringComparer.Ordinal)
    {
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT",
    };

    public async Task InvokeAsync(HttpContext context)
    {
        var at = time.GetUtcNow();
        var started = Stopwatch.GetTimestamp();
        try
        {
            await next(context);
        }
        catch
        {
            await RecordAsync(context, at, started, StatusCodes.Status500InternalServerError);
            throw;
        }

        await RecordAsync(context, at, started, context.Response.StatusCode);
    }

    private async Task RecordAsync(HttpContext context, DateTimeOffset at, long started, int status)
    {
        var latency = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var caller = context.Features.Get<ApiCaller>();
        var endpoint = context.GetEndpoint();
        if (caller is null && endpoint is not RouteEndpoint && context.Request.Headers.Authorization.Count > 0)
        {
            // An unknown route never ran authentication; a valid token still says whose call it was
            // (validated tokens are cached, so this costs no signature check after the first time).
            await context.AuthenticateAsync(ApiAccessDefaults.AuthenticationScheme);
            caller = context.Features.Get<ApiCaller>();
        }

        if (caller is null)
        {
            recorder.RecordUnattributed();
            return;
        }

        var method = KnownMethods.TryGetValue(context.Request.Method.ToUpperInvariant(), out var known) ? known : "OTHER";
        var (route, scope) = endpoint is RouteEndpoint routeEndpoint
            ? Endpoints.GetOrAdd((routeEndpoint, method), static key => Describe((RouteEndpoint)key.Endpoint, key.Method))
            : (method + " " + ConnectApiExtensions.BasePath + "/*", null);
        var isKey = caller.ApiKeyId is not null;
        recorder.Record(new UsageRecord
        {
            WorkspaceId = caller.WorkspaceId,
            ClientId = isKey ? null : caller.ClientId,
            ApiKeyId = caller.ApiKeyId,
            GrantId = isKey || string.IsNullOrEmpty(caller.GrantId) ? null : caller.GrantId,
            UserId = isKey ? null : caller.UserId,
            Method = method,
            Route = route,
            Scope = scope,
            StatusCode = status,
            LatencyMs = latency,
            OccurredAt = at,
            ClientIp = context.Connection.RemoteIpAddress?.ToString(),
        });
    }

    private static (string Route, string? Scope) Describe(RouteEndpoint endpoint, string method)
    {
        var pattern = endpoint.RoutePattern.RawText ?? ConnectApiExtensions.BasePath + "/*";
        // A group's root is mapped as "/v1/transactions/": the template as written in the docs has no trailing slash.
        var path = pattern.StartsWith('/') ? pattern : "/" + pattern;
        var route = method + " " + (path.Length > 1 ? path.TrimEnd('/') : path);
        if (route.Length > UsageRecord.RouteMaxLength)
        {
            route = route[..UsageRecord.RouteMaxLength];
        }

        var scope = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
            .Select(a => ScopePolicies.ScopeOf(a.Policy))
            .LastOrDefault(s => s is not null);
        return (route, scope);
    }
}
