using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// A scope the client did not register is <c>invalid_scope</c> (RFC 6749 §4.1.2.1), at the
/// authorization and PAR endpoints. OpenIddict answers <c>invalid_request</c> there: for a scope
/// without the client's <c>scp:</c> permission (ID2051) and for <c>offline_access</c> without the
/// refresh grant (ID2065). A client registers <c>offline_access</c> as the refresh grant and
/// <c>openid</c> always (ClientService), so those are the checks. Runs after OpenIddict's own check for
/// scopes nobody knows (already <c>invalid_scope</c>) and before its permission checks.
/// </summary>
internal sealed class RejectUnregisteredScopes(OpenIddictApplicationManager<OAuthClient> applications) :
    IOpenIddictServerHandler<ValidateAuthorizationRequestContext>,
    IOpenIddictServerHandler<ValidatePushedAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor AuthorizationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseScopedHandler<RejectUnregisteredScopes>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidateScopes.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public static OpenIddictServerHandlerDescriptor PushedAuthorizationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidatePushedAuthorizationRequestContext>()
            .UseScopedHandler<RejectUnregisteredScopes>()
            .SetOrder(OpenIddictServerHandlers.Authentication.ValidatePushedScopes.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await UnregisteredScopeAsync(applications, context.ClientId, context.Request.GetScopes(), context.CancellationToken) is { } scope)
        {
            context.Reject(Errors.InvalidScope, $"The application is not registered for the scope '{scope}'.");
        }
    }

    public async ValueTask HandleAsync(ValidatePushedAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await UnregisteredScopeAsync(applications, context.ClientId, context.Request.GetScopes(), context.CancellationToken) is { } scope)
        {
            context.Reject(Errors.InvalidScope, $"The application is not registered for the scope '{scope}'.");
        }
    }

    /// <summary>The first of <paramref name="scopes"/> the client may not ask for, or null.</summary>
    internal static async ValueTask<string?> UnregisteredScopeAsync(
        OpenIddictApplicationManager<OAuthClient> applications, string? clientId, IEnumerable<string> scopes, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(clientId) || await applications.FindByClientIdAsync(clientId, cancellationToken) is not { } client)
        {
            return null;
        }

        foreach (var scope in scopes)
        {
            var permission = scope switch
            {
                OpenIddictConstants.Scopes.OpenId => null,
                OpenIddictConstants.Scopes.OfflineAccess => Permissions.GrantTypes.RefreshToken,
                _ => Permissions.Prefixes.Scope + scope,
            };
            if (permission is not null && !await applications.HasPermissionAsync(client, permission, cancellationToken))
            {
                return scope;
            }
        }

        return null;
    }
}

/// <summary>
/// RFC 6749 §6: a refresh may ask for fewer scopes, never for one the grant does not hold (or the
/// client may no longer ask for); that is <c>invalid_scope</c> (§5.2), where OpenIddict answers
/// <c>invalid_grant</c> (ID2052) or <c>invalid_request</c> (ID2051). The refresh token is not touched:
/// it is only redeemed when a token is issued, so it keeps working for a correct request.
/// </summary>
internal sealed class RejectRefreshScopesBeyondTheGrant(OpenIddictApplicationManager<OAuthClient> applications) : IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<RejectRefreshScopesBeyondTheGrant>()
            // After the refresh token was validated and the client's grant-type permissions checked
            // (a client that lost offline_access stays unauthorized_client), before OpenIddict's scope checks.
            .SetOrder(OpenIddictServerHandlers.Exchange.ValidateScopePermissions.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.Request.IsRefreshTokenGrantType() || string.IsNullOrEmpty(context.Request.Scope) || context.RefreshTokenPrincipal is null)
        {
            return;
        }

        var requested = context.Request.GetScopes();
        var granted = context.RefreshTokenPrincipal.GetScopes();
        if (requested.FirstOrDefault(scope => !granted.Contains(scope)) is { } beyond)
        {
            context.Reject(Errors.InvalidScope, $"The grant does not include the scope '{beyond}'.");
            return;
        }

        if (await RejectUnregisteredScopes.UnregisteredScopeAsync(applications, context.ClientId, requested, context.CancellationToken) is { } unregistered)
        {
            context.Reject(Errors.InvalidScope, $"The application is no longer registered for the scope '{unregistered}'.");
        }
    }
}
