using System.Globalization;
using System.Security.Claims;
using Duende.IdentityModel.OidcClient;
using Duende.IdentityModel.OidcClient.Browser;
using Duende.IdentityModel.OidcClient.Results;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// A certified relying-party library (Duende.IdentityModel.OidcClient) against the server: it reads
/// discovery, pushes the request (PAR, because discovery offers it), checks state, iss, the ID token
/// and PKCE, reads userinfo and refreshes — what a real integrator's code does.
/// </summary>
public sealed class OidcClientLibraryTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AConfidentialWebApp_SignsIn_ReadsUserInfo_AndRefreshes()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var portal = factory.NewClient();
        var browser = new PortalBrowser(portal, user);
        var oidc = new OidcClient(Options(client.ClientId, client.Secret, ClientIntents.DefaultRedirectUri, browser));

        var state = await oidc.PrepareLoginAsync();
        Assert.Contains("request_uri=", state.StartUrl, StringComparison.Ordinal);
        var answer = await browser.InvokeAsync(new BrowserOptions(state.StartUrl, state.RedirectUri));
        Assert.Equal(BrowserResultType.Success, answer.ResultType);
        var login = await oidc.ProcessResponseAsync(answer.Response, state);

        Assert.False(login.IsError, login.Error + " " + login.ErrorDescription);
        Assert.Equal(OidcSetup.Claim(login.AccessToken, "sub"), login.User.FindFirst("sub")?.Value);
        Assert.Equal("Grace Hopper", login.User.FindFirst("name")?.Value);
        var userInfo = await oidc.GetUserInfoAsync(login.AccessToken);
        Assert.False(userInfo.IsError, userInfo.Error);
        Assert.Equal(user.Email, userInfo.Claims.Single(c => c.Type == "email").Value);

        var refreshed = await oidc.RefreshTokenAsync(login.RefreshToken);
        Assert.False(refreshed.IsError, refreshed.Error + " " + refreshed.ErrorDescription);
        Assert.NotEqual(login.RefreshToken, refreshed.RefreshToken);
        Assert.NotNull(refreshed.AccessToken);
        var replayed = await oidc.RefreshTokenAsync(login.RefreshToken);
        Assert.True(replayed.IsError);
        Assert.Equal("invalid_grant", replayed.Error);
    }

    [Fact]
    public async Task ANativeApp_SignsInOnAnEphemeralLoopbackPort_WithoutASecret()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Type: "public", RedirectUris: "http://127.0.0.1/callback"));
        var user = await factory.NewUserAsync();
        using var portal = factory.NewClient();
        var port = Random.Shared.Next(49152, 65535).ToString(CultureInfo.InvariantCulture);
        var oidc = new OidcClient(Options(client.ClientId, null, $"http://127.0.0.1:{port}/callback", new PortalBrowser(portal, user)));

        var login = await oidc.LoginAsync(new LoginRequest());

        Assert.False(login.IsError, login.Error + " " + login.ErrorDescription);
        Assert.NotNull(login.AccessToken);
        Assert.NotNull(login.RefreshToken);
        var refreshed = await oidc.RefreshTokenAsync(login.RefreshToken);
        Assert.False(refreshed.IsError, refreshed.Error);
    }

    private OidcClientOptions Options(string clientId, string? secret, string redirectUri, IBrowser browser) => new()
    {
        Authority = "https://localhost/oidc",
        ClientId = clientId,
        ClientSecret = secret,
        RedirectUri = redirectUri,
        Scope = OidcIntents.DefaultScopes,
        Browser = browser,
        BackchannelHandler = factory.Server.CreateHandler(),
        IdentityTokenValidator = new SignedIdentityTokenValidator(),
        LoadProfile = false,
    };

    /// <summary>The user's browser: follows /oidc/auth through our login and consent forms until it comes back to the app.</summary>
    private sealed class PortalBrowser(PortalClient portal, TestUser user) : IBrowser
    {
        public async Task<BrowserResult> InvokeAsync(BrowserOptions options, CancellationToken cancellationToken = default)
        {
            var redirect = await portal.AuthorizeAsync(options.StartUrl, user);
            return redirect.ToString().StartsWith(options.EndUrl, StringComparison.Ordinal)
                ? new BrowserResult { ResultType = BrowserResultType.Success, Response = redirect.ToString() }
                : new BrowserResult { ResultType = BrowserResultType.HttpError, Error = $"Came back to {redirect}, not {options.EndUrl}." };
        }
    }

    /// <summary>
    /// Validates the ID token the way a relying party must: signature against the published JWKS,
    /// issuer, audience and lifetime (OidcClient leaves the JWT library to the application).
    /// </summary>
    private sealed class SignedIdentityTokenValidator : IIdentityTokenValidator
    {
        public async Task<IdentityTokenValidationResult> ValidateAsync(string identityToken, OidcClientOptions options, CancellationToken cancellationToken = default)
        {
            var keys = options.ProviderInformation.KeySet.Keys.Select(k => new JsonWebKey { Kty = k.Kty, Kid = k.Kid, N = k.N, E = k.E, Alg = k.Alg, Use = k.Use });
            var result = await new JsonWebTokenHandler().ValidateTokenAsync(identityToken, new TokenValidationParameters
            {
                ValidIssuer = options.ProviderInformation.IssuerName,
                ValidAudience = options.ClientId,
                IssuerSigningKeys = keys,
                ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
            });
            return result.IsValid
                ? new IdentityTokenValidationResult { User = new ClaimsPrincipal(result.ClaimsIdentity), SignatureAlgorithm = ((JsonWebToken)result.SecurityToken).Alg }
                : new IdentityTokenValidationResult { Error = result.Exception?.Message ?? "invalid identity token" };
        }
    }
}
