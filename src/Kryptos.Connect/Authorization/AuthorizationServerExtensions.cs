using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Authorization.Grants;
using Kryptos.Connect.Authorization.Keys;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Pruning;
using Microsoft.Extensions.Options;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization;

public static class AuthorizationServerExtensions
{
    private const string Rfc8414MetadataPath = "/.well-known/oauth-authorization-server/oidc";

    /// <summary>
    /// The OpenID Connect provider, all of its wiring in one place: OpenIddict core (clients, grants,
    /// tokens and scopes in <see cref="KryptosDbContext"/>) then the server (endpoints under /oidc,
    /// flows, PKCE, lifetimes, keys). The protocol decisions of the endpoints live in
    /// <see cref="AuthorizationEndpoints"/>.
    /// </summary>
    public static WebApplicationBuilder AddAuthorizationServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AuthorizationServerOptions>().BindConfiguration(AuthorizationServerOptions.SectionName)
            .ValidateDataAnnotationsRecursively(AuthorizationServerOptions.SectionName)
            .Validate(o => o.RefreshTokenAbsoluteLifetime >= o.RefreshTokenLifetime, "Authorization:RefreshTokenAbsoluteLifetime must not be shorter than RefreshTokenLifetime.")
            .Validate(o => o.Keys.PublishAhead < o.Keys.RotationPeriod, "Authorization:Keys:PublishAhead must be shorter than RotationPeriod.")
            // Every instance must have loaded the next key before any instance signs or encrypts with it.
            .Validate(o => o.Keys.RefreshInterval < o.Keys.PublishAhead, "Authorization:Keys:RefreshInterval must be shorter than PublishAhead.")
            .ValidateOnStart();
        services.AddOptions<ServerKeyOptions>().BindConfiguration(AuthorizationServerOptions.SectionName + ":Keys")
            .ValidateDataAnnotationsRecursively(AuthorizationServerOptions.SectionName + ":Keys").ValidateOnStart();
        var settings = builder.Configuration.GetSection(AuthorizationServerOptions.SectionName).Get<AuthorizationServerOptions>() ?? new AuthorizationServerOptions();

        services.AddSingleton<ServerKeyRing>();
        services.AddSingleton<IConfigureOptions<OpenIddictServerOptions>>(sp => sp.GetRequiredService<ServerKeyRing>());
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictServerOptions>>(sp => sp.GetRequiredService<ServerKeyRing>());
        services.AddHostedService<ServerKeyRingRefresher>();
        services.AddScoped<ConsentService>();
        services.AddScoped<ClientService>();
        services.AddScoped<IGrantRevocation, GrantRevocation>();
        services.AddScoped<IHandles<AccountSignedOutEverywhere>, GrantEventHandlers>();
        services.AddScoped<IHandles<AccountDeleting>, GrantEventHandlers>();
        services.AddScoped<IHandles<MembershipEnded>, GrantEventHandlers>();
        services.AddScoped<IHandles<WorkspaceDeleting>, GrantEventHandlers>();
        services.AddScoped<IHandles<SharingRightsChanged>, GrantEventHandlers>();
        services.AddScoped<GrantDirectory>();
        services.AddSingleton<ClientOrigins>();
        services.AddHostedService<ClientOriginsRefresher>();
        // Tokens before grants: a grant is removed after its tokens.
        services.AddPruner<OAuthTokenPruner>().AddPruner<OAuthGrantPruner>();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<ClientOrigins>(ClientOrigins.AddPolicies);

        services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore()
                    .UseDbContext<KryptosDbContext>()
                    .ReplaceDefaultEntities<OAuthClient, OAuthGrant, OAuthScope, OAuthToken, string>();
                core.ReplaceApplicationManager<OAuthClient, KryptosApplicationManager>();
            })
            .AddServer(server =>
            {
                // Endpoint paths are relative to the issuer, {base}/oidc exactly (IssuerUnderOidc).
                server.SetAuthorizationEndpointUris("auth")
                    .SetPushedAuthorizationEndpointUris("par")
                    .SetTokenEndpointUris("token")
                    .SetUserInfoEndpointUris("userinfo")
                    .SetRevocationEndpointUris("token/revocation")
                    .SetIntrospectionEndpointUris("token/introspection")
                    .SetJsonWebKeySetEndpointUris("jwks")
                    .SetEndSessionEndpointUris("session/end")
                    .SetConfigurationEndpointUris(".well-known/openid-configuration", ".well-known/oauth-authorization-server");

                // Authorization code (+ refresh). No implicit, hybrid, password or client credentials.
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow();

                // PKCE for every client, S256 only: "plain" is neither advertised nor accepted.
                server.RequireProofKeyForCodeExchange();
                server.Configure(options => options.CodeChallengeMethods.Remove(CodeChallengeMethods.Plain));

                // Clients authenticate with a secret (client_secret_basic or _post), public clients with
                // none (PKCE only). No client can register keys, so private_key_jwt is neither offered
                // nor accepted.
                server.Configure(options =>
                {
                    options.ClientAuthenticationMethods.Remove(ClientAuthenticationMethods.PrivateKeyJwt);
                    options.ClientAssertionTypes.Remove(ClientAssertionTypes.JwtBearer);
                });
                server.AddEventHandler(AdvertisePublicClients.Descriptor);

                // A refresh token works once; reusing one (after a zero leeway) revokes the whole grant.
                server.SetRefreshTokenReuseLeeway(TimeSpan.Zero);
                // OpenIddict lets concurrent refreshes with one token all succeed; ours lets one through.
                server.RemoveEventHandler(OpenIddictServerHandlers.RedeemTokenEntry.Descriptor);
                server.AddEventHandler(RedeemTokenEntryOnce.Descriptor);
                server.AddEventHandler(RevokeGrantOnReplay.Descriptor);

                server.SetAuthorizationCodeLifetime(settings.AuthorizationCodeLifetime)
                    .SetAccessTokenLifetime(settings.AccessTokenLifetime)
                    .SetIdentityTokenLifetime(settings.IdentityTokenLifetime)
                    .SetRefreshTokenLifetime(settings.RefreshTokenLifetime);

                server.RegisterScopes([.. KryptosScopes.All.Select(s => s.Name)]);
                server.RegisterClaims(Claims.Subject, Claims.Name, Claims.PreferredUsername, Claims.Locale, Claims.UpdatedAt,
                    Claims.Email, Claims.EmailVerified, KryptosClaims.WorkspaceId);

                // Access tokens are signed JWTs that resource servers can read; codes and refresh
                // tokens stay encrypted. Keys come from the database (ServerKeyRing).
                server.DisableAccessTokenEncryption();
                // Codes and refresh tokens: HMAC and AES secrets, not RSA (docs/decisions/0013).
                server.AddEventHandler(InternalTokensWithSecrets.Descriptor);

                server.AddEventHandler(IssuerUnderOidc.Descriptor);
                server.AddEventHandler(RejectUnreadableRequestBodies.Descriptor);
                // A userinfo error keeps its WWW-Authenticate header (RFC 6750 §3) and gets the JSON
                // body of the other back-channel endpoints, instead of an empty body that the status
                // code pages would fill with an HTML page.
                server.RemoveEventHandler(OpenIddictServerAspNetCoreHandlers.ProcessChallengeErrorResponse<OpenIddictServerEvents.ApplyUserInfoResponseContext>.Descriptor);
                // Errors go back to a verified client (RFC 6749 §4.1.2.1); unregistered scopes and
                // refresh scopes beyond the grant are invalid_scope (§4.1.2.1, §6).
                server.AddEventHandler(RedirectVerifiedAuthorizationErrors.Descriptor);
                server.AddEventHandler(RejectUnregisteredScopes.AuthorizationDescriptor);
                server.AddEventHandler(RejectUnregisteredScopes.PushedAuthorizationDescriptor);
                server.AddEventHandler(RejectRefreshScopesBeyondTheGrant.Descriptor);
                server.AddEventHandler(RejectDisabledClients.AuthorizationDescriptor);
                server.AddEventHandler(RejectDisabledClients.PushedAuthorizationDescriptor);
                server.AddEventHandler(RejectDisabledClients.TokenDescriptor);
                // Token endpoint cost (docs/decisions/0012): an ID token on refresh only when asked for.
                server.AddEventHandler(IdentityTokenOnRefreshOnlyWhenAsked.Descriptor);

                var aspNetCore = server.UseAspNetCore()
                    .EnableAuthorizationEndpointPassthrough()
                    .EnableTokenEndpointPassthrough()
                    .EnableUserInfoEndpointPassthrough()
                    .EnableEndSessionEndpointPassthrough()
                    .EnableErrorPassthrough();
                if (builder.Environment.IsDevelopment())
                {
                    // `dotnet run` serves plain http on localhost; everywhere else tokens need https.
                    aspNetCore.DisableTransportSecurityRequirement();
                }
            });
        return builder;
    }

    /// <summary>
    /// RFC 8414 §3: the metadata of the issuer <c>{base}/oidc</c> lives at
    /// <c>/.well-known/oauth-authorization-server/oidc</c>. A strict client expects the document itself
    /// there, not a redirect, so the request is handed to OpenIddict's metadata endpoint under the
    /// issuer: the same document, served by the same code. Before CORS, so the alias is public too.
    /// </summary>
    public static WebApplication UseAuthorizationServerMetadataLocation(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(next => context =>
        {
            if (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
            {
                if (context.Request.Path.Equals(Rfc8414MetadataPath, StringComparison.OrdinalIgnoreCase))
                {
                    context.Request.Path = "/oidc/.well-known/oauth-authorization-server";
                }
            }

            return next(context);
        });
        return app;
    }

    /// <summary>
    /// CORS for the endpoints browser apps call (before authentication, where OpenIddict answers
    /// them). Preflight requests are answered here; /oidc/auth gets none.
    /// </summary>
    public static WebApplication UseAuthorizationServerCors(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        string[] clientEndpoints = ["/oidc/token", "/oidc/userinfo", "/oidc/token/revocation", "/oidc/token/introspection"];
        string[] publicDocuments = ["/oidc/.well-known", "/oidc/jwks"];
        app.UseWhen(context => clientEndpoints.Any(path => context.Request.Path.Equals(path, StringComparison.OrdinalIgnoreCase)),
            branch => branch.UseCors(ClientOrigins.ClientEndpointsPolicy));
        app.UseWhen(context => publicDocuments.Any(path => context.Request.Path.StartsWithSegments(path, StringComparison.OrdinalIgnoreCase)),
            branch => branch.UseCors(ClientOrigins.PublicDocumentsPolicy));
        return app;
    }

    /// <summary>The token endpoint's rate limit per client id (<see cref="TokenRateLimits"/>); before authentication, where OpenIddict answers.</summary>
    public static WebApplication UseTokenRateLimits(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseMiddleware<TokenRateLimits>();
        return app;
    }

    public static WebApplication MapAuthorizationServer(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        AuthorizationEndpoints.Map(app);
        return app;
    }
}
