using System.Net;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Redirect URIs match exactly (RFC 9700 §4.1.3): anything else gets our error page, never a redirect,
/// so the server cannot be used as an open redirector. Loopback IP redirects of native apps may
/// change the port (RFC 8252 §7.3).
/// </summary>
public sealed class RedirectUriTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData("https://app.example.com/callback/")]
    [InlineData("https://app.example.com/Callback")]
    [InlineData("https://APP.example.com/callback")]
    [InlineData("https://app.example.com:8443/callback")]
    [InlineData("https://app.example.com/callback?next=/admin")]
    [InlineData("http://app.example.com/callback")]
    [InlineData("https://evil.example.net/callback")]
    public async Task ARedirectUriThatDiffersInAnyWay_GetsTheErrorPage_NotARedirect(string redirectUri)
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), redirectUri: redirectUri));

        await OidcSetup.AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task TheRegisteredRedirectUri_IsAccepted()
    {
        // The control for the theory above: the same request with the exact URI reaches the consent screen.
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull((await PortalClient.ReadPageAsync(response)).QuerySelector("button[value='allow']"));
    }

    [Fact]
    public async Task AnUnknownClient_GetsTheErrorPage_NotARedirect()
    {
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl("kc_doesnotexist", Pkce.Create()));

        await OidcSetup.AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task AMissingRedirectUri_GetsTheErrorPage_NotARedirect()
    {
        var client = await factory.PublishClientAsync();
        using var browser = factory.NewClient();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: new Dictionary<string, string?> { ["redirect_uri"] = null }));

        await OidcSetup.AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task AnAnonymousVisitor_WithABadRedirectUri_GetsTheErrorPage_NotTheLoginPage()
    {
        var client = await factory.PublishClientAsync();
        using var browser = factory.NewClient();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), redirectUri: "https://evil.example.net/callback"));

        await OidcSetup.AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task ANativeAppsLoopbackRedirect_MayUseAnyPort_AndTheCodeIsRedeemedWithThatUri()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Type: "public", RedirectUris: "http://127.0.0.1/callback"));
        var user = await factory.NewUserAsync();
        const string EphemeralPort = "http://127.0.0.1:51004/callback";
        var pkce = Pkce.Create();

        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, redirectUri: EphemeralPort), user);
        browser.Dispose();

        Assert.Equal(EphemeralPort, redirect.GetLeftPart(UriPartial.Path));
        using var server = factory.Backchannel();
        var tokens = await server.RedeemCodeAsync(client.ClientId, null, OidcIntents.CodeFrom(redirect), pkce.Verifier, EphemeralPort);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.NotNull(tokens.AccessToken);
    }

    [Theory]
    [InlineData("http://127.0.0.1:51004/other")]
    [InlineData("http://127.0.0.1:51004/callback/")]
    [InlineData("http://127.0.0.1:51004/callback?x=1")]
    [InlineData("http://localhost:51004/callback")]
    [InlineData("http://[::1]:51004/callback")]
    [InlineData("https://127.0.0.1:51004/callback")]
    public async Task ALoopbackRedirect_MayVaryOnlyThePort(string redirectUri)
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Type: "public", RedirectUris: "http://127.0.0.1/callback"));
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), redirectUri: redirectUri));

        await OidcSetup.AssertErrorPageAsync(response);
    }

    [Theory]
    [InlineData("confidential", "http://127.0.0.1/callback", "http://127.0.0.1:51004/callback")]
    [InlineData("public", "http://127.0.0.1:8080/callback", "http://127.0.0.1:9090/callback")]
    public async Task OnlyAPublicClientsPortlessLoopbackRedirect_MayVaryThePort(string type, string registered, string requested)
    {
        // RFC 8252 is about native (public) apps; a confidential client's loopback URI, or one
        // registered with a port, stays an exact match.
        var client = await factory.PublishClientAsync(new ClientSpec(Type: type, RedirectUris: registered));
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), redirectUri: requested));

        await OidcSetup.AssertErrorPageAsync(response);
    }

    [Fact]
    public async Task TheTokenEndpoint_RefusesARedirectUriOtherThanTheOneOfTheAuthorizationRequest()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(RedirectUris: $"{ClientIntents.DefaultRedirectUri}\nhttps://app.example.com/other"));
        var user = await factory.NewUserAsync();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        browser.Dispose();
        using var server = factory.Backchannel();

        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier, "https://app.example.com/other");

        Assert.Equal(HttpStatusCode.BadRequest, tokens.Status);
        Assert.Equal("invalid_grant", tokens.Error);
    }
}
