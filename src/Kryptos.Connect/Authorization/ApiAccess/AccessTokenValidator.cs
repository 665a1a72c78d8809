using System.Globalization;
using Kryptos.Connect.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace Kryptos.Connect.Authorization.ApiAccess;

/// <summary>
/// Validates an access token with OpenIddict's validation pipeline against our own server's keys
/// (<c>UseLocalServer</c>): signature, token type (<c>at+jwt</c>), issuer, audience
/// (<see cref="AuthorizationServerOptions.ApiAudience"/>) and lifetime, on the <see cref="TimeProvider"/>.
/// </summary>
/// <remarks>
/// The pipeline is driven directly rather than through OpenIddict's ASP.NET Core handler so that the
/// expected issuer is exactly <c>{base}/oidc</c>, the value the server writes (see IssuerUnderOidc):
/// OpenIddict's host integration would expect the request's bare origin. Without an issuer OpenIddict
/// skips that check, so the issuer is always given.
/// </remarks>
internal sealed class AccessTokenValidator(
    IOpenIddictValidationDispatcher dispatcher,
    IOpenIddictValidationFactory factory,
    IOptions<HostingOptions> hosting,
    TimeProvider time)
{
    /// <summary>How far ahead of this instance's clock another instance's clock may be when it issues a token.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    /// <summary>The caller named by a valid token, or the reason it is not valid.</summary>
    public async ValueTask<(ApiCaller? Caller, string? Problem)> ValidateAsync(HttpRequest request, string token)
    {
        ArgumentNullException.ThrowIfNull(request);
        var transaction = await factory.CreateTransactionAsync();
        var context = new ProcessAuthenticationContext(transaction)
        {
            AccessToken = token,
            BaseUri = IssuerFor(request),
        };
        await dispatcher.DispatchAsync(context);
        if (context.IsRejected || context.AccessTokenPrincipal is not { } principal)
        {
            return (null, context.ErrorDescription ?? "The access token is not valid.");
        }

        // Our server always writes these; a token without them was not issued for the Connect API.
        if (!Guid.TryParse(principal.GetClaim(Claims.Subject), out var userId)
            || !Guid.TryParse(principal.GetClaim(KryptosClaims.WorkspaceId), out var workspaceId)
            || principal.GetAuthorizationId() is not { Length: > 0 } grantId
            || principal.GetExpirationDate() is not { } expiresAt)
        {
            return (null, "The access token is not bound to a workspace.");
        }

        // OpenIddict accepts a token up to and including its exp second and does not look at nbf or a
        // future iat; RFC 7519 §4.1.4-5 refuse all three.
        var now = time.GetUtcNow();
        if (expiresAt <= now)
        {
            return (null, "The access token expired.");
        }

        if (principal.GetCreationDate() > now + ClockSkew
            || (long.TryParse(principal.GetClaim(Claims.NotBefore), NumberStyles.Integer, CultureInfo.InvariantCulture, out var notBefore)
                && DateTimeOffset.FromUnixTimeSeconds(notBefore) > now + ClockSkew))
        {
            return (null, "The access token is not valid yet.");
        }

        return (new ApiCaller(userId, workspaceId, grantId, principal.GetTokenId(), principal.GetClaim(Claims.ClientId),
            principal.GetScopes(), expiresAt), null);
    }

    /// <summary><c>Hosting:PublicOrigin</c> + <c>/oidc</c>, or the request's own origin + <c>/oidc</c> on a local run.</summary>
    private Uri IssuerFor(HttpRequest request)
    {
        var origin = string.IsNullOrEmpty(hosting.Value.PublicOrigin)
            ? $"{request.Scheme}://{request.Host}{request.PathBase}"
            : hosting.Value.PublicOrigin;
        return new Uri(origin.TrimEnd('/') + "/oidc", UriKind.Absolute);
    }
}
