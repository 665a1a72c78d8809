using Kryptos.Connect.Authorization.ApiAccess;
using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Kryptos.Connect.ConnectApi;

/// <summary>
/// One authorization policy per API scope of <see cref="KryptosScopes"/> (<c>scope:users:read</c> …):
/// an access token from <see cref="ApiAccessDefaults.AuthenticationScheme"/> that carries the scope.
/// Each resource group of /v1 requires its policy.
/// </summary>
public static class ScopePolicies
{
    private const string Prefix = "scope:";

    public static string For(string scope) => Prefix + scope;

    /// <summary>The scope a policy of <see cref="For"/> requires, or null for any other policy.</summary>
    public static string? ScopeOf(string? policy) =>
        policy is not null && policy.StartsWith(Prefix, StringComparison.Ordinal) ? policy[Prefix.Length..] : null;

    /// <summary>The scopes that guard Connect API resources (the ones with a colon: <c>portfolios:read</c> …).</summary>
    public static IEnumerable<string> ApiScopes => KryptosScopes.All.Select(s => s.Name).Where(s => s.Contains(':', StringComparison.Ordinal));

    internal static void Add(AuthorizationOptions options)
    {
        foreach (var scope in ApiScopes)
        {
            options.AddPolicy(For(scope), policy => policy
                .AddAuthenticationSchemes(ApiAccessDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }
    }
}

/// <summary>The token carries <see cref="Scope"/>. Its own handler, so it needs no registration.</summary>
public sealed class ScopeRequirement(string scope) : AuthorizationHandler<ScopeRequirement>, IAuthorizationRequirement
{
    public string Scope { get; } = scope;

    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(requirement);
        if (context.User.HasClaim(ApiAccessDefaults.ScopeClaim, requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>
/// A token without the scope an endpoint needs gets 403 with <c>WWW-Authenticate: Bearer
/// error="insufficient_scope", scope="…"</c> (RFC 6750 §3.1) and a problem naming the scope; every
/// other outcome is ASP.NET Core's usual one (a challenge answers 401 through the bearer handler).
/// </summary>
internal sealed class InsufficientScopeResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().FirstOrDefault() is { } missing)
        {
            context.Response.Headers.WWWAuthenticate =
                $"Bearer error=\"insufficient_scope\", error_description=\"The access token lacks the scope {missing.Scope}.\", scope=\"{missing.Scope}\"";
            await ApiProblems.Create(StatusCodes.Status403Forbidden, "insufficient_scope", "Insufficient scope",
                    $"This resource needs the scope {missing.Scope}; ask the user to authorize it.",
                    new Dictionary<string, object?> { ["scope"] = missing.Scope })
                .ExecuteAsync(context);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
