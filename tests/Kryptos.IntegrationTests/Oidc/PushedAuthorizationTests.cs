using System.Net;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>Pushed authorization requests (RFC 9126): the client pushes its request over the back channel, the browser carries only a request_uri.</summary>
public sealed class PushedAuthorizationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AConfidentialClient_PushesTheRequest_AndTheFlowCompletesWithTheRequestUri()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var pkce = Pkce.Create();

        using var pushed = await PushAsync(server, client, client.Secret, pkce, "par-state");
        Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
        Assert.Equal("no-store", pushed.Headers.CacheControl?.ToString());
        var json = await OidcSetup.JsonOfAsync(pushed);
        var requestUri = json.GetProperty("request_uri").GetString()!;
        Assert.StartsWith("urn:ietf:params:oauth:request_uri:", requestUri, StringComparison.Ordinal);
        Assert.True(json.GetProperty("expires_in").GetInt32() > 0);

        var url = QueryHelpers.AddQueryString("/oidc/auth", new Dictionary<string, string?> { ["client_id"] = client.ClientId, ["request_uri"] = requestUri });
        var (redirect, browser) = await factory.RunFlowAsync(url, user);
        browser.Dispose();

        Assert.StartsWith(ClientIntents.DefaultRedirectUri, redirect.GetLeftPart(UriPartial.Path), StringComparison.Ordinal);
        Assert.Equal(OidcSetup.Issuer, OidcSetup.QueryOf(redirect)["iss"]);
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect, "par-state"), pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal("n-par-state", OidcSetup.Claim(tokens.IdToken, "nonce"));
    }

    [Fact]
    public async Task APushWithAWrongSecret_IsInvalidClient()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        using var pushed = await PushAsync(server, client, "kryptos_cs_wrong", Pkce.Create(), "s");

        Assert.Equal(HttpStatusCode.Unauthorized, pushed.StatusCode);
        Assert.Equal("invalid_client", (await OidcSetup.JsonOfAsync(pushed)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnotherClientCannotUseTheRequestUri()
    {
        var client = await factory.PublishClientAsync();
        var other = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        using var pushed = await PushAsync(server, client, client.Secret, Pkce.Create(), "s");
        var requestUri = (await OidcSetup.JsonOfAsync(pushed)).GetProperty("request_uri").GetString();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(QueryHelpers.AddQueryString("/oidc/auth", new Dictionary<string, string?> { ["client_id"] = other.ClientId, ["request_uri"] = requestUri }));

        await OidcSetup.AssertErrorPageAsync(response);
    }

    private static Task<HttpResponseMessage> PushAsync(HttpClient server, CreatedClient client, string? secret, Pkce pkce, string state) =>
        server.PostWithClientAsync("/oidc/par", client.ClientId, secret, new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["redirect_uri"] = ClientIntents.DefaultRedirectUri,
            ["scope"] = OidcIntents.DefaultScopes,
            ["state"] = state,
            ["nonce"] = "n-" + state,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        });
}
