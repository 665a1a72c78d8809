using Kryptos.Connect.Hosting;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// Makes the issuer exactly <c>{base}/oidc</c> (docs/architecture.md), without a trailing slash: strict relying
/// parties compare it byte for byte with the issuer they were configured with (OpenID Connect
/// Discovery §4.3, RFC 9207). The base is <c>Hosting:PublicOrigin</c> when set, otherwise the
/// request's own origin, so a local run works on any host and port without configuration.
/// </summary>
/// <remarks>
/// OpenIddict takes the issuer from <see cref="BaseContext.BaseUri"/> (<c>Uri.AbsoluteUri</c>, which
/// keeps <c>https://host/oidc</c> as it is) and resolves the relative endpoint paths against it after
/// adding the missing slash, so every endpoint still sits under <c>/oidc/</c>.
/// </remarks>
internal sealed class IssuerUnderOidc(IOptions<HostingOptions> hosting) : IOpenIddictServerHandler<ProcessRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .UseSingletonHandler<IssuerUnderOidc>()
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ResolveRequestUri.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // The request's base includes its PathBase (no trailing slash unless it is the root).
        var origin = string.IsNullOrEmpty(hosting.Value.PublicOrigin) ? context.BaseUri!.AbsoluteUri : hosting.Value.PublicOrigin;
        context.BaseUri = new Uri(origin.TrimEnd('/') + "/oidc", UriKind.Absolute);
        return ValueTask.CompletedTask;
    }
}

/// <summary>A disabled client can neither start a flow nor redeem a code or refresh token.</summary>
internal sealed class RejectDisabledClients(OpenIddictApplicationManager<OAuthClient> applications) :
    IOpenIddictServerHandler<ValidateAuthorizationRequestContext>,
    IOpenIddictServerHandler<ValidatePushedAuthorizationRequestContext>,
    IOpenIddictServerHandler<ValidateTokenRequestContext>
{
    // After OpenIddict's own validation, so the client is known to exist.
    private const int Order = int.MaxValue - 100_000;

    public static OpenIddictServerHandlerDescriptor AuthorizationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
            .UseScopedHandler<RejectDisabledClients>().SetOrder(Order).SetType(OpenIddictServerHandlerType.Custom).Build();

    public static OpenIddictServerHandlerDescriptor PushedAuthorizationDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidatePushedAuthorizationRequestContext>()
            .UseScopedHandler<RejectDisabledClients>().SetOrder(Order).SetType(OpenIddictServerHandlerType.Custom).Build();

    public static OpenIddictServerHandlerDescriptor TokenDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
            .UseScopedHandler<RejectDisabledClients>().SetOrder(Order).SetType(OpenIddictServerHandlerType.Custom).Build();

    public async ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await IsDisabledAsync(context.ClientId, context.CancellationToken))
        {
            context.Reject(Errors.UnauthorizedClient, "This application is disabled by its publisher.");
        }
    }

    public async ValueTask HandleAsync(ValidatePushedAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await IsDisabledAsync(context.ClientId, context.CancellationToken))
        {
            context.Reject(Errors.UnauthorizedClient, "This application is disabled by its publisher.");
        }
    }

    public async ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (await IsDisabledAsync(context.ClientId, context.CancellationToken))
        {
            context.Reject(Errors.UnauthorizedClient, "This application is disabled by its publisher.");
        }
    }

    private async ValueTask<bool> IsDisabledAsync(string? clientId, CancellationToken cancellationToken) =>
        !string.IsNullOrEmpty(clientId) && await applications.FindByClientIdAsync(clientId, cancellationToken) is { IsDisabled: true };
}

/// <summary>
/// Discovery lists <c>none</c> among the client authentication methods of the endpoints a public
/// client calls (token, revocation, PAR): public clients authenticate with PKCE alone (RFC 8414 §2).
/// Introspection stays for authenticated clients only.
/// </summary>
internal sealed class AdvertisePublicClients : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<HandleConfigurationRequestContext>()
            .UseSingletonHandler<AdvertisePublicClients>()
            .SetOrder(OpenIddictServerHandlers.Discovery.AttachClientAuthenticationMethods.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.TokenEndpointAuthenticationMethods.Add(ClientAuthenticationMethods.None);
        context.RevocationEndpointAuthenticationMethods.Add(ClientAuthenticationMethods.None);
        context.PushedAuthorizationEndpointAuthenticationMethods.Add(ClientAuthenticationMethods.None);
        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A refresh returns an ID token only when the client asks for one with <c>scope=openid</c> in the
/// refresh request. OpenID Connect Core §12.2 lets the response leave it out, and clients refresh to
/// get a new access token; not signing (and storing) an ID token nobody reads saves an RSA signature
/// and a row per refresh (docs/decisions/0012). A code redemption always returns one.
/// </summary>
internal sealed class IdentityTokenOnRefreshOnlyWhenAsked : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenRequest>()
            .UseSingletonHandler<IdentityTokenOnRefreshOnlyWhenAsked>()
            .SetOrder(OpenIddictServerHandlers.EvaluateGeneratedTokens.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Request.IsRefreshTokenGrantType() && !context.Request.HasScope(Scopes.OpenId))
        {
            context.GenerateIdentityToken = false;
            context.IncludeIdentityToken = false;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// Marks the presented authorization code or refresh token as redeemed, and refuses the request when
/// another request redeemed it first. Replaces OpenIddict's <c>RedeemTokenEntry</c>, which ignores a lost
/// redemption race for refresh tokens (it exists for the reuse leeway, which is zero here): six
/// concurrent refreshes with one token could all get new tokens, two or more token families from one
/// refresh token, which is exactly what rotation is there to prevent (RFC 9700 §4.14.2).
/// </summary>
/// <remarks>
/// The token row carries a concurrency token, so of the requests that read it as valid, one update wins
/// and the others fail. A loser is treated as a replay: the server cannot tell the legitimate client
/// from an attacker racing it (RFC 9700 §4.14.2; RFC 6749 §4.1.2 for codes), so it gets
/// <c>invalid_grant</c> and the grant is revoked with every token issued under it. The grant itself,
/// not only its tokens: the winner may still be writing its new tokens when the loser revokes, and a
/// revoked grant also stops the tokens written after that.
/// </remarks>
internal sealed partial class RedeemTokenEntryOnce(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    ILogger<RedeemTokenEntryOnce> logger) : IOpenIddictServerHandler<ProcessSignInContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .UseScopedHandler<RedeemTokenEntryOnce>()
            // Where OpenIddict's own handler ran: early, so the entry is redeemed even when a later step rejects the sign-in.
            .SetOrder(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor.Order)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType is not OpenIddictServerEndpointType.Token ||
            !(context.Request.IsAuthorizationCodeGrantType() || context.Request.IsRefreshTokenGrantType()))
        {
            return;
        }

        var authentication = context.Transaction.GetProperty<ProcessAuthenticationContext>(typeof(ProcessAuthenticationContext).FullName!)
            ?? throw new InvalidOperationException("The authentication context of the token request is missing.");
        var principal = context.Request.IsAuthorizationCodeGrantType()
            ? authentication.AuthorizationCodePrincipal
            : authentication.RefreshTokenPrincipal;
        var identifier = principal?.GetTokenId();
        if (string.IsNullOrEmpty(identifier) || await tokens.FindByIdAsync(identifier) is not { } token)
        {
            return;
        }

        if (await tokens.TryRedeemAsync(token))
        {
            return;
        }

        var grantId = principal!.GetAuthorizationId();
        if (!string.IsNullOrEmpty(grantId))
        {
            await ReplayedGrant.RevokeAsync(tokens, authorizations, grantId);
        }

        LogLostRedemption(logger, identifier, grantId);
        var code = context.Request.IsAuthorizationCodeGrantType();
        context.Reject(
            error: Errors.InvalidGrant,
            description: code ? "The specified authorization code has already been redeemed." : "The specified refresh token has already been redeemed.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token {TokenId} was redeemed by a concurrent request; the request was refused and grant {GrantId} revoked, as for a replay.")]
    private static partial void LogLostRedemption(ILogger logger, string tokenId, string? grantId);
}

/// <summary>
/// A replayed code or refresh token at the token endpoint revokes its grant, not only the grant's
/// tokens as OpenIddict's <c>ValidateTokenEntry</c> does (which then refuses the request). A replay that
/// arrives while the first redemption is still writing its new tokens would otherwise miss them: the
/// tokens are revoked by grant before the new rows exist, and the new refresh token would stay valid.
/// A revoked grant stops those rows too. Runs just before OpenIddict's handler, on the token entry
/// that one reads (the same scoped cache, no extra query on the normal path).
/// </summary>
internal sealed partial class RevokeGrantOnReplay(
    IOpenIddictTokenManager tokens,
    IOpenIddictAuthorizationManager authorizations,
    ILogger<RevokeGrantOnReplay> logger) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenStorageEnabled>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenIdResolved>()
            .UseScopedHandler<RevokeGrantOnReplay>()
            .SetOrder(OpenIddictServerHandlers.Protection.ValidateTokenEntry.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.EndpointType is not OpenIddictServerEndpointType.Token || string.IsNullOrEmpty(context.AuthorizationId) ||
            !(context.Request?.IsAuthorizationCodeGrantType() is true || context.Request?.IsRefreshTokenGrantType() is true))
        {
            return;
        }

        if (await tokens.FindByIdAsync(context.TokenId!) is not { } token || !await tokens.HasStatusAsync(token, Statuses.Redeemed))
        {
            return;
        }

        if (await ReplayedGrant.RevokeAsync(tokens, authorizations, context.AuthorizationId))
        {
            LogReplay(logger, context.TokenId!, context.AuthorizationId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Token {TokenId} was presented again after its redemption; grant {GrantId} is revoked.")]
    private static partial void LogReplay(ILogger logger, string tokenId, string grantId);
}

/// <summary>What a replayed (or raced) code or refresh token ends: the grant and every token issued under it.</summary>
internal static class ReplayedGrant
{
    /// <summary>Revokes the grant's tokens, then the grant (tokens first, as <c>GrantRevocation</c> does); false when the grant was gone or already revoked.</summary>
    public static async ValueTask<bool> RevokeAsync(IOpenIddictTokenManager tokens, IOpenIddictAuthorizationManager authorizations, string grantId)
    {
        await tokens.RevokeByAuthorizationIdAsync(grantId);
        return await authorizations.FindByIdAsync(grantId) is { } grant && await authorizations.TryRevokeAsync(grant);
    }
}
