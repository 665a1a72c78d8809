using System.Globalization;
using Kryptos.Connect.Accounts;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
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
        KryptosDbContext db,
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
        var user = await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? "");
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return Reject(Errors.InvalidGrant, "The account is no longer available.");
        }

        var grant = await authorizations.FindByIdAsync(principal.GetAuthorizationId() ?? "", context.RequestAborted);
        if (grant?.WorkspaceId is not { } workspaceId || !await authorizations.HasStatusAsync(grant, Statuses.Valid, context.RequestAborted))
        {
            return Reject(Errors.InvalidGrant, "The grant was revoked.");
        }

        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == user.Id, context.RequestAborted))
        {
            return Reject(Errors.InvalidGrant, "The user no longer belongs to the workspace of this grant.");
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
        var refreshed = consent.CreatePrincipal(user, workspaceId, principal.GetScopes(), grant.Id!, chainStart, authenticatedAt);
        return Results.SignIn(refreshed, authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>The user's claims, read fresh, limited to the scopes of the access token.</summary>
    private static async Task<IResult> UserInfoAsync(HttpContext context, UserManager<User> users)
    {
        var result = await context.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
        var principal = result.Principal;
        var user = principal is null ? null : await users.FindByIdAsync(principal.GetClaim(Claims.Subject) ?? "");
        if (principal is null || user is null)
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
        if (principal.HasScope(Scopes.Profile))
        {
            claims[Claims.Name] = user.DisplayName;
            claims[Claims.PreferredUsername] = user.Email!;
            claims[Claims.Locale] = user.Language;
            claims[Claims.UpdatedAt] = user.UpdatedAt.ToUnixTimeSeconds();
        }

        if (principal.HasScope(Scopes.Email))
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
