using System.Net;
using System.Text.Json;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// A relying party configured with the issuer string <c>https://localhost/oidc</c> that compares it
/// byte for byte, as OpenID Connect Discovery §4.3 and RFC 9207 ask: in discovery, in the
/// authorization response's <c>iss</c> and in the tokens. Certified libraries such as OidcClient trim
/// slashes before comparing, so only a strict client notices a trailing slash.
/// </summary>
public sealed class StrictRelyingPartyTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const string ConfiguredIssuer = "https://localhost/oidc";

    [Fact]
    public async Task ARelyingPartyComparingTheIssuerExactly_CompletesTheCodeFlow()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();

        // Discovery: {issuer}/.well-known/openid-configuration, and the issuer it names is the one configured.
        var metadata = await GetJsonAsync(server, ConfiguredIssuer + "/.well-known/openid-configuration");
        Assert.Equal(ConfiguredIssuer, metadata.GetProperty("issuer").GetString(), StringComparer.Ordinal);

        // The browser part, against the discovered authorization endpoint.
        var pkce = Pkce.Create();
        var authorizeUrl = QueryHelpers.AddQueryString(metadata.GetProperty("authorization_endpoint").GetString()!, new Dictionary<string, string?>
        {
            ["client_id"] = client.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = ClientIntents.DefaultRedirectUri,
            ["scope"] = OidcIntents.DefaultScopes,
            ["state"] = "strict-state",
            ["nonce"] = "strict-nonce",
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        });
        var (redirect, browser) = await factory.RunFlowAsync(authorizeUrl, user);
        browser.Dispose();
        var response = OidcSetup.QueryOf(redirect);
        Assert.Equal("strict-state", response["state"]);
        Assert.Equal(ConfiguredIssuer, response["iss"], StringComparer.Ordinal);

        // The client's server, against the discovered token endpoint.
        using var tokenRequest = new HttpRequestMessage(HttpMethod.Post, metadata.GetProperty("token_endpoint").GetString())
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["grant_type"] = "authorization_code",
                ["code"] = response["code"],
                ["code_verifier"] = pkce.Verifier,
                ["redirect_uri"] = ClientIntents.DefaultRedirectUri,
                ["client_id"] = client.ClientId,
                ["client_secret"] = client.Secret!,
            }),
        };
        using var tokenResponse = await server.SendAsync(tokenRequest);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        Assert.Equal("no-store", tokenResponse.Headers.CacheControl?.ToString());
        var tokens = await OidcSetup.JsonOfAsync(tokenResponse);
        Assert.Equal("Bearer", tokens.GetProperty("token_type").GetString());
        Assert.True(tokens.GetProperty("expires_in").GetInt32() > 0);

        // Both JWTs: signed by a key of the published JWKS, issued by exactly the configured issuer.
        var jwks = new JsonWebKeySet((await GetJsonAsync(server, metadata.GetProperty("jwks_uri").GetString()!)).GetRawText());
        var idToken = await ValidateAsync(tokens.GetProperty("id_token").GetString()!, jwks, audience: client.ClientId);
        Assert.Equal("strict-nonce", idToken.GetPayloadValue<string>("nonce"));
        var accessToken = await ValidateAsync(tokens.GetProperty("access_token").GetString()!, jwks, audience: "kryptos-connect-api");
        Assert.Equal(idToken.Subject, accessToken.Subject);
    }

    [Fact]
    public async Task TheRfc8414Metadata_IsServedAtItsLocation_WithTheExactIssuer()
    {
        using var server = factory.Backchannel();

        // RFC 8414 §3: /.well-known/oauth-authorization-server inserted between the host and the issuer's path.
        using var response = await server.GetAsync(new Uri("https://localhost/.well-known/oauth-authorization-server/oidc"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var metadata = await OidcSetup.JsonOfAsync(response);
        Assert.Equal(ConfiguredIssuer, metadata.GetProperty("issuer").GetString(), StringComparer.Ordinal);
        Assert.Equal("https://localhost/oidc/token", metadata.GetProperty("token_endpoint").GetString());
        var underTheIssuer = await GetJsonAsync(server, ConfiguredIssuer + "/.well-known/oauth-authorization-server");
        Assert.Equal(underTheIssuer.GetRawText(), metadata.GetRawText());
    }

    private static async Task<JsonElement> GetJsonAsync(HttpClient server, string url)
    {
        using var response = await server.GetAsync(new Uri(url));
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url}: {(int)response.StatusCode} {response.Headers.Location}");
        return await OidcSetup.JsonOfAsync(response);
    }

    private static async Task<JsonWebToken> ValidateAsync(string jwt, JsonWebKeySet jwks, string audience)
    {
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(jwt, new TokenValidationParameters
        {
            ValidIssuer = ConfiguredIssuer,
            ValidAudience = audience,
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidAlgorithms = [SecurityAlgorithms.RsaSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var token = (JsonWebToken)result.SecurityToken;
        // The library's issuer check is lenient about a trailing slash in some versions; a strict
        // relying party compares the string itself.
        Assert.Equal(ConfiguredIssuer, token.Issuer, StringComparer.Ordinal);
        return token;
    }
}
