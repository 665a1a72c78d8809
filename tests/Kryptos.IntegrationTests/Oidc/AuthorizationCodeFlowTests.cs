using Microsoft.IdentityModel.JsonWebTokens;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>The whole flow through the real endpoints: login form, consent form, code, token, userinfo, refresh.</summary>
public sealed class AuthorizationCodeFlowTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task ConfidentialClient_GetsTokensForTheChosenWorkspace_AndUserInfo()
    {
        var (developer, portal) = await factory.SignedInUserAsync();
        var workspaceId = await portal.CreateWorkspaceAsync("Acme Tax");
        var client = await portal.CreateClientAsync(workspaceId);
        var user = await factory.SignUpAsync(name: "Grace Hopper");
        await factory.VerifyEmailAsync(user);
        using var browser = factory.NewClient();
        var pkce = Pkce.Create();

        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);

        Assert.StartsWith(ClientIntents.DefaultRedirectUri, redirect.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        Assert.Contains("iss=", redirect.Query, StringComparison.Ordinal);
        using var server = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("no-store", tokens.Response.Headers.CacheControl?.ToString());
        Assert.NotNull(tokens.RefreshToken);

        var access = new JsonWebTokenHandler().ReadJsonWebToken(tokens.AccessToken);
        var personal = await factory.PersonalWorkspaceIdAsync(user);
        Assert.Equal(personal.ToString(), access.Claims.Single(c => c.Type == "kryptos_workspace").Value);
        Assert.Equal(client.ClientId, access.Claims.Single(c => c.Type == "client_id").Value);
        Assert.Contains("portfolios:read", access.Claims.Single(c => c.Type == "scope").Value, StringComparison.Ordinal);
        Assert.Contains("kryptos-connect-api", access.Audiences);

        var id = new JsonWebTokenHandler().ReadJsonWebToken(tokens.IdToken);
        Assert.Equal("n-xyz", id.Claims.Single(c => c.Type == "nonce").Value);
        Assert.Equal("Grace Hopper", id.Claims.Single(c => c.Type == "name").Value);
        Assert.Equal(user.Email, id.Claims.Single(c => c.Type == "email").Value);
        Assert.Equal(OidcSetup.Issuer, id.Issuer);
        // Typed as OpenID Connect Core §5.1 says: a JSON boolean and a number, not strings.
        Assert.True(id.GetPayloadValue<bool>("email_verified"));
        Assert.InRange(id.GetPayloadValue<long>("updated_at"), DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds(), DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        Assert.Equal(System.Text.Json.JsonValueKind.True, JsonDocument.Parse(Base64UrlDecode(tokens.IdToken!.Split('.')[1])).RootElement.GetProperty("email_verified").ValueKind);

        using var userInfoRequest = new HttpRequestMessage(HttpMethod.Get, "/oidc/userinfo");
        userInfoRequest.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        using var userInfo = await server.SendAsync(userInfoRequest);
        Assert.Equal(HttpStatusCode.OK, userInfo.StatusCode);
        var claims = JsonDocument.Parse(await userInfo.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(id.Subject, claims.GetProperty("sub").GetString());
        Assert.True(claims.GetProperty("email_verified").GetBoolean());
        Assert.Equal("Grace Hopper", claims.GetProperty("name").GetString());
        _ = developer;
    }

    private static string Base64UrlDecode(string value) =>
        System.Text.Encoding.UTF8.GetString(System.Buffers.Text.Base64Url.DecodeFromChars(value));
}
