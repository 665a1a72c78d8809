using System.Collections.Immutable;
using System.Globalization;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// The token and userinfo endpoints, after OpenIddict has validated the request (client
/// authentication, PKCE verifier, code or refresh token, reuse detection). The authorization and
/// end-session endpoints are Razor Pages (Authorization/Pages) because they show pages.
/// </summary>
public static class AuthorizationEndpoints
{
    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/oidc/token", ExchangeAsync).ExcludeFromDescription();
        app.MapMethods("/oidc/userinfo", [HttpMethods.Get, HttpMethods.Post], UserInfoAsync).ExcludeFromDescription();
    }

    /// <summary>
    /// Redeems a code or a refresh token. The claims are rebuilt from the current account, so a
    /// changed name shows in the next token, and the grant is checked again: a user who left the
    /// workspace, a deleted account or a refresh chain past its absolute lifetime gets invalid_grant.
    /// </summary>
    private static async Task<IResult> ExchangeAsync(
        HttpContext context,
        UserManager<User> users,
        Memberships memberships,
        OpenIddictAuthorizationManager<OAuthGrant> authorizations,
        ConsentService consent)
    {
        var request = context.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");
        if (!request.IsAuthorizationCodeGrantType() && !request.IsRefreshTokenGrantType())
        {
            // OpenIddict only lets the two allowed grant types through; this is defence in depth.
            return Reject(Errors.UnsupportedGrantType, "This grant type is not supported.");
        }

        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal ?? throw new InvalidOperationException("OpenIddict validated a token without a principal.");
        // A deleted or disabled account ends its apps' access. A lockout does not: it stops password
        // guesses at the login form, and must not let anyone who knows an address cut off that
        // person's apps with five wrong passwords. An unverified account never got a grant (consent
        // needs a verified address); one left from before that rule is refused too.
        var user = await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? "");
        if (user is null || user.IsDisabled || !user.EmailConfirmed)
        {
            return Reject(Errors.InvalidGrant, "The account is no longer available.");
        }

        var grant = await authorizations.FindByIdAsync(principal.GetAuthorizationId() ?? "", context.RequestAborted);
        if (grant?.WorkspaceId is not { } workspaceId || !await authorizations.HasStatusAsync(grant, Statuses.Valid, context.RequestAborted))
        {
            return Reject(Errors.InvalidGrant, "The grant was revoked.");
        }

        // The workspace's access check, at every exchange: the user must still belong to the workspace
        // and still be allowed to share it with apps.
        if (await memberships.FindAsync(workspaceId, user.Id, context.RequestAborted) is not { } membership)
        {
            return Reject(Errors.InvalidGrant, "The user no longer belongs to the workspace of this grant.");
        }

        if (!membership.Can(WorkspaceOperation.ShareWithApps))
        {
            return Reject(Errors.InvalidGrant, "The user may no longer share this workspace with apps.");
        }

        // Sliding refresh tokens, capped: a chain of refreshes ends RefreshTokenAbsoluteLifetime after
        // its code was redeemed. Signing in again (even on a remembered grant) starts a new chain.
        var chainStart = consent.RefreshChainStart(principal, grant, isCode: request.IsAuthorizationCodeGrantType());
        if (request.IsRefreshTokenGrantType() && consent.IsPastAbsoluteLifetime(chainStart))
        {
            return Reject(Errors.InvalidGrant, "The refresh token reached its maximum lifetime; sign in again.");
        }

        await consent.TouchAsync(grant, context.RequestAborted);
        // Refresh never widens scope: the scopes are those of the presented code or refresh token.
        // auth_time stays the time of the login behind the code, not of this exchange.
        var authenticatedAt = long.TryParse(principal.GetClaim(Claims.AuthenticationTime), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : (DateTimeOffset?)null;
        // Never more than the grant holds now: a scope the client stopped registering was removed from
        // its grants (ClientService), and leaves the tokens at their next refresh.
        var granted = await authorizations.GetScopesAsync(grant, context.RequestAborted);
        var scopes = principal.GetScopes().Intersect(granted, StringComparer.Ordinal).ToImmutableArray();
        var refreshed = consent.CreatePrincipal(user, workspaceId, scopes, grant.Id!, chainStart, authenticatedAt);
        return Results.SignIn(refreshed, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The user's claims, read fresh, limited to the scopes of the access token.</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext context, UserManager<User> users)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        var user = principal is null ? null : await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? "");
        if (principal is null || user is null || user.IsDisabled)
        {
            return Results.Challenge(
                new AuthenticationProperties(new Dictionary<string, string?>
                {
                    [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.InvalidToken,
                    [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "The access token is not valid for this user.",
                }),
                [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        var claims = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            [Claims.Subject] = user.Id.ToString(),
        };
        if (principal.HasScope(KryptosScopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName;
            claims[Claims.PreferredUsername] = user.Email!;
            claims[Claims.Locale] = user.Language;
            claims[Claims.UpdatedAt] = user.UpdatedAt.ToUnixTimeSeconds();
        }

        if (principal.HasScope(KryptosScopes.Email))
        {
            claims[Claims.Email] = user.Email!;
            claims[Claims.EmailVerified] = user.EmailConfirmed;
        }

        return Results.Ok(claims);
    }

    private static IResult Reject(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
