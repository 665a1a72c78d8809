using System.Net;
using AngleSharp.Html.Dom;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Where an invalid authorization request is answered (RFC 6749 §4.1.2.1, RFC 7636 §4.4.1): once the
/// client and its exact redirect URI are verified, at that redirect URI with error, state and iss
/// (RFC 9207), in the request's response mode — for GET, POST and pushed (PAR) requests alike. Only an
/// unknown client or a redirect URI that is missing or does not match stays on our error page. Nobody
/// is redirected to a client before logging in, except with prompt=none (no phishing redirector).
/// </summary>
public sealed class AuthorizationErrorResponseTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AScopeTheClientDidNotRegister_GoesBackAsInvalidScope()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Scopes: ["openid", "profile", "portfolios:read"]));
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid tax:read", state: "unregistered"));

        OidcSetup.AssertErrorRedirect(response, "invalid_scope", "unregistered");
    }

    [Fact]
    public async Task AnAuthorizationRequestSentByPost_GetsItsErrorAtTheRedirectUriToo()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);
        var pkce = Pkce.Create();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["client_id"] = client.ClientId,
            ["response_type"] = "code",
            ["redirect_uri"] = ClientIntents.DefaultRedirectUri,
            ["scope"] = "openid admin:everything",
            ["state"] = "posted",
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        });

        using var response = await browser.Http.PostAsync(new Uri("/oidc/auth", UriKind.Relative), form);

        OidcSetup.AssertErrorRedirect(response, "invalid_scope", "posted");
    }

    [Fact]
    public async Task AnErrorWithResponseModeFormPost_IsPostedToTheClient()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid admin:everything", state: "fp",
            extra: new Dictionary<string, string?> { ["response_mode"] = "form_post" }));

        // OpenIddict's auto-submitting form, aimed at the verified redirect URI.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await PortalClient.ReadPageAsync(response);
        var form = (IHtmlFormElement)page.QuerySelector("form")!;
        Assert.Equal(ClientIntents.DefaultRedirectUri, form.GetAttribute("action"));
        var fields = form.QuerySelectorAll("input[type='hidden']").Cast<IHtmlInputElement>().ToDictionary(i => i.Name!, i => i.Value, StringComparer.Ordinal);
        Assert.Equal("invalid_scope", fields["error"]);
        Assert.Equal("fp", fields["state"]);
        Assert.Equal(OidcSetup.Issuer, fields["iss"]);
        Assert.False(fields.ContainsKey("code"));
    }

    [Fact]
    public async Task APushedRequestWhoseScopeTheClientLostSince_GetsItsErrorAtTheRedirectUri()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        using (developer)
        {
            var user = await factory.NewUserAsync();
            using var server = factory.Backchannel();
            using var pushed = await server.PostWithClientAsync("/oidc/par", client.ClientId, client.Secret, PushedRequest(Pkce.Create(), "openid portfolios:read", "par-lost"));
            Assert.Equal(HttpStatusCode.Created, pushed.StatusCode);
            var requestUri = (await OidcSetup.JsonOfAsync(pushed)).GetProperty("request_uri").GetString();
            await developer.EditClientScopesAsync(client, ["openid", "profile"]);
            using var browser = await factory.LoginAsync(user);

            using var response = await browser.Http.GetAsync(QueryHelpers.AddQueryString("/oidc/auth", new Dictionary<string, string?> { ["client_id"] = client.ClientId, ["request_uri"] = requestUri }));

            // state and redirect URI come from the pushed request.
            OidcSetup.AssertErrorRedirect(response, "invalid_scope", "par-lost");
        }
    }

    [Fact]
    public async Task PushingAScopeTheClientDidNotRegister_IsInvalidScope()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Scopes: ["openid", "profile"]));
        using var server = factory.Backchannel();

        using var pushed = await server.PostWithClientAsync("/oidc/par", client.ClientId, client.Secret, PushedRequest(Pkce.Create(), "openid tax:read", "s"));

        Assert.Equal(HttpStatusCode.BadRequest, pushed.StatusCode);
        Assert.Equal("invalid_scope", (await OidcSetup.JsonOfAsync(pushed)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnAnonymousVisitor_LogsInFirst_ThenTheErrorGoesBackToTheClient()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        var url = OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid admin:everything", state: "anon");

        using (var first = await browser.Http.GetAsync(url))
        {
            // Not straight to the client: anyone can register a client, so an unauthenticated visit
            // must not make Kryptos a redirector to arbitrary sites.
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
            Assert.StartsWith("/account/login?", first.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var redirect = await browser.AuthorizeAsync(url, user);

        var parameters = OidcSetup.ResponseParametersOf(redirect);
        Assert.Equal("invalid_scope", parameters["error"]);
        Assert.Equal("anon", parameters["state"]);
        Assert.Equal(OidcSetup.Issuer, parameters["iss"]);
    }

    [Fact]
    public async Task PromptNone_WithoutASession_GetsTheErrorAtOnce()
    {
        var client = await factory.PublishClientAsync();
        using var browser = factory.NewClient();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid admin:everything", state: "pn",
            extra: new Dictionary<string, string?> { ["prompt"] = "none" }));

        OidcSetup.AssertErrorRedirect(response, "invalid_scope", "pn");
    }

    public static TheoryData<string> UnverifiedRequests() => new()
    {
        "unknown-client",
        "other-redirect-uri",
        "missing-redirect-uri",
        "unknown-request-uri",
    };

    [Theory]
    [MemberData(nameof(UnverifiedRequests))]
    public async Task AnErrorForAnUnverifiedClientOrRedirectUri_StaysOnTheErrorPage(string kind)
    {
        // Each request is also invalid in other ways (unknown scope, no PKCE): those errors must not
        // reach an address we could not verify.
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);
        var invalid = new Dictionary<string, string?> { ["code_challenge"] = null, ["code_challenge_method"] = null };
        var url = kind switch
        {
            "unknown-client" => OidcIntents.AuthorizeUrl("kc_doesnotexist", Pkce.Create(), "openid admin:everything"),
            "other-redirect-uri" => OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid admin:everything", redirectUri: "https://evil.example.net/callback", extra: invalid),
            "missing-redirect-uri" => OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid admin:everything", extra: new Dictionary<string, string?>(invalid) { ["redirect_uri"] = null }),
            "unknown-request-uri" => QueryHelpers.AddQueryString("/oidc/auth", new Dictionary<string, string?>
            {
                ["client_id"] = client.ClientId,
                ["request_uri"] = "urn:ietf:params:oauth:request_uri:doesnotexist",
                ["redirect_uri"] = ClientIntents.DefaultRedirectUri,
                ["state"] = "xyz",
            }),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };

        using var response = await browser.Http.GetAsync(url);

        await OidcSetup.AssertErrorPageAsync(response);
    }

    private static Dictionary<string, string> PushedRequest(Pkce pkce, string scope, string state) => new()
    {
        ["response_type"] = "code",
        ["redirect_uri"] = ClientIntents.DefaultRedirectUri,
        ["scope"] = scope,
        ["state"] = state,
        ["code_challenge"] = pkce.Challenge,
        ["code_challenge_method"] = "S256",
    };
}
