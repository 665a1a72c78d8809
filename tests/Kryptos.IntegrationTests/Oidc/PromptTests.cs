using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Who must log in, and when (OpenID Connect Core §3.1.2.1): prompt=none never shows a page,
/// prompt=login and an expired max_age force the login form; every answer sent back to the client
/// carries <c>iss</c> (RFC 9207).
/// </summary>
public sealed class PromptTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private static readonly Dictionary<string, string?> PromptNone = new() { ["prompt"] = "none" };

    [Fact]
    public async Task AnAnonymousVisitor_IsSentToTheLoginForm_BeforeAnyRedirectToTheClient()
    {
        var client = await factory.PublishClientAsync();
        using var browser = factory.NewClient();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));

        AssertSentToLogin(response, reauthenticate: false);
    }

    [Fact]
    public async Task PromptNone_WithoutASession_IsLoginRequired()
    {
        var client = await factory.PublishClientAsync();
        using var browser = factory.NewClient();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "pn-1", extra: PromptNone));

        var query = OidcSetup.QueryOf(OidcSetup.RedirectToClient(response));
        Assert.Equal("login_required", query["error"]);
        Assert.Equal("pn-1", query["state"]);
        Assert.Equal(OidcSetup.Issuer, query["iss"]);
    }

    [Fact]
    public async Task PromptNone_WithASessionButNoConsent_IsConsentRequired()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "pn-2", extra: PromptNone));

        var query = OidcSetup.QueryOf(OidcSetup.RedirectToClient(response));
        Assert.Equal("consent_required", query["error"]);
        Assert.Equal("pn-2", query["state"]);
        Assert.Equal(OidcSetup.Issuer, query["iss"]);
    }

    [Fact]
    public async Task PromptNone_WithASessionAndRememberedConsent_IssuesACodeWithoutAPage()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "pn-3", extra: PromptNone));

        var query = OidcSetup.QueryOf(OidcSetup.RedirectToClient(response));
        Assert.True(query.ContainsKey("code"));
        Assert.Equal(OidcSetup.Issuer, query["iss"]);
    }

    [Fact]
    public async Task PromptLogin_ShowsTheLoginFormEvenWithASession_ThenCompletesTheFlow()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        var url = OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "pl", extra: new Dictionary<string, string?> { ["prompt"] = "login" });

        using (var response = await browser.Http.GetAsync(url))
        {
            var login = AssertSentToLogin(response, reauthenticate: true);
            // The login page shows its form to the signed-in user instead of passing them through.
            var page = await browser.GetPageAsync(login);
            Assert.NotNull(page.QuerySelector("input[name='Input.Password']"));
        }

        var redirect = await browser.AuthorizeAsync(url, user);
        Assert.True(OidcSetup.QueryOf(redirect).ContainsKey("code"));
        Assert.Equal("pl", OidcSetup.QueryOf(redirect)["state"]);
    }

    [Fact]
    public async Task MaxAgeZero_ForcesTheLoginForm_ThenCompletesTheFlow()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        var url = OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "ma0", extra: new Dictionary<string, string?> { ["max_age"] = "0" });

        using (var response = await browser.Http.GetAsync(url))
        {
            AssertSentToLogin(response, reauthenticate: true);
        }

        var redirect = await browser.AuthorizeAsync(url, user);
        Assert.True(OidcSetup.QueryOf(redirect).ContainsKey("code"), $"No code after the login: {redirect}");
    }

    [Fact]
    public async Task PromptNone_WithAnExpiredMaxAge_IsLoginRequired_NotAPage()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: new Dictionary<string, string?> { ["prompt"] = "none", ["max_age"] = "0" }));

        var query = OidcSetup.QueryOf(OidcSetup.RedirectToClient(response));
        Assert.Equal("login_required", query["error"]);
        Assert.Equal(OidcSetup.Issuer, query["iss"]);
    }

    [Fact]
    public async Task EveryAuthorizationResponseToTheClient_CarriesTheIssuer_SuccessAndError()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var anonymous = factory.NewClient();
        using var browser = factory.NewClient();

        using var loginRequired = await anonymous.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: PromptNone));
        var denied = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user, decision: "deny");
        using var consentRequired = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: PromptNone));
        var allowed = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        using var silent = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: PromptNone));

        var responses = new[] { OidcSetup.RedirectToClient(loginRequired), denied, OidcSetup.RedirectToClient(consentRequired), allowed, OidcSetup.RedirectToClient(silent) }
            .Select(OidcSetup.QueryOf).ToList();
        Assert.Equal(["login_required", "access_denied", "consent_required"], responses.Take(3).Select(q => q["error"]));
        Assert.All(responses.Skip(3), q => Assert.True(q.ContainsKey("code")));
        Assert.All(responses, q => Assert.Equal(OidcSetup.Issuer, q["iss"]));
    }

    [Fact]
    public async Task AnInvalidScope_GoesBackToTheClient_WithStateAndIssuer()
    {
        // RFC 6749 §4.1.2.1: the client and its redirect URI are verified, so the error goes back there.
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid admin:everything", state: "bad-scope"));

        OidcSetup.AssertErrorRedirect(response, "invalid_scope", "bad-scope");
    }

    /// <summary>The response sends the browser to our login form, coming back to /oidc/auth; returns the login URL.</summary>
    [Fact]
    public async Task PromptLoginConsent_KeepsTheConsentPart_AfterTheLogin()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        var url = OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: new Dictionary<string, string?> { ["prompt"] = "login consent" });

        using var response = await browser.Http.GetAsync(url);
        var login = AssertSentToLogin(response, reauthenticate: true);
        var returnUrl = QueryHelpers.ParseQuery(new Uri(new Uri("https://localhost"), login).Query)["returnUrl"].ToString();
        Assert.Equal("consent", QueryHelpers.ParseQuery(new Uri(new Uri("https://localhost"), returnUrl).Query)["prompt"].ToString());

        // After the login the consent screen shows although consent is remembered.
        using var loggedIn = await browser.LoginAsync(user, login);
        using var back = await browser.Http.GetAsync(loggedIn.Headers.Location);
        Assert.True(back.StatusCode == HttpStatusCode.OK, $"{loggedIn.StatusCode} {loggedIn.Headers.Location} -> {back.StatusCode} {back.Headers.Location}");
        var page = await PortalClient.ReadPageAsync(back, HttpStatusCode.OK);
        Assert.NotNull(page.QuerySelector("button[value='allow']"));
    }

    [Fact]
    public async Task TheIdToken_CarriesAuthTime_TheTimeOfTheLogin()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-2).ToUnixTimeSeconds();
        using var server = factory.Backchannel();

        var tokens = await factory.TokensAsync(server, client, user);

        var authTime = long.Parse(OidcSetup.Claim(tokens.IdToken, "auth_time")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(authTime, before, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        // A refresh that asks for an ID token (scope=openid) gets the login's auth_time, not the refresh's.
        var refreshed = await server.TokenAsync(client.ClientId, client.Secret, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.RefreshToken!,
            ["scope"] = OidcIntents.DefaultScopes,
        });
        Assert.Equal(authTime.ToString(System.Globalization.CultureInfo.InvariantCulture), OidcSetup.Claim(refreshed.IdToken, "auth_time"));
    }

    private static string AssertSentToLogin(HttpResponseMessage response, bool reauthenticate)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("https://localhost"), response.Headers.Location!);
        Assert.Equal("localhost", location.Host);
        Assert.Equal("/account/login", location.AbsolutePath);
        var query = QueryHelpers.ParseQuery(location.Query);
        Assert.StartsWith("/oidc/auth?", query["returnUrl"].ToString(), StringComparison.Ordinal);
        Assert.Equal(reauthenticate, query.TryGetValue("reauth", out var reauth) && reauth == "true");
        return location.PathAndQuery;
    }
}
