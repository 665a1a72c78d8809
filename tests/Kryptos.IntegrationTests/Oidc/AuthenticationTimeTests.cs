using System.Globalization;
using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// <c>max_age</c> and <c>auth_time</c> (OpenID Connect Core §3.1.2.1, §2) are about the last time the
/// user authenticated interactively, not about the session cookie, which sliding expiry and the
/// security-stamp check re-issue every few minutes. The clock is a fake one: hours pass in a test.
/// </summary>
public sealed class AuthenticationTimeTests(FakeClockFactory factory) : IClassFixture<FakeClockFactory>
{
    [Fact]
    public async Task ASessionKeptAliveForTenHours_IsOlderThanMaxAge300_AndMustLogInAgain()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);

        // Ten hours of use: every half hour a page, so the session slides and its cookie is re-issued.
        await KeepUsingAsync(browser, TimeSpan.FromHours(10));
        using var response = await browser.Http.GetAsync(AuthorizeWithMaxAge(client.ClientId, 300));

        AssertSentToLogin(response);
    }

    [Fact]
    public async Task ASessionYoungerThanMaxAge_GetsACode_WithoutTheLoginForm()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        factory.Clock.Advance(TimeSpan.FromMinutes(4));

        using var response = await browser.Http.GetAsync(AuthorizeWithMaxAge(client.ClientId, 300));

        Assert.True(OidcSetup.QueryOf(OidcSetup.RedirectToClient(response)).ContainsKey("code"));
    }

    [Fact]
    public async Task TheIdTokenAuthTime_IsThePasswordLogin_NotTheLatestCookieRenewal()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        var loggedInAt = factory.Clock.GetUtcNow();

        await KeepUsingAsync(browser, TimeSpan.FromHours(3));
        var tokens = await RedeemAnotherCodeAsync(browser, client);

        Assert.Equal(loggedInAt.ToUnixTimeSeconds(), AuthTime(tokens.IdToken));
    }

    [Fact]
    public async Task LoggingInAgainForMaxAge_MovesAuthTime_AndTheNextMaxAgePasses()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        await KeepUsingAsync(browser, TimeSpan.FromHours(2));

        var pkce = Pkce.Create();
        var redirect = await browser.AuthorizeAsync(AuthorizeWithMaxAge(client.ClientId, 60, pkce), user);
        var reauthenticatedAt = factory.Clock.GetUtcNow();
        using var server = factory.Backchannel();
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        factory.Clock.Advance(TimeSpan.FromSeconds(30));
        using var again = await browser.Http.GetAsync(AuthorizeWithMaxAge(client.ClientId, 60));

        Assert.Equal(reauthenticatedAt.ToUnixTimeSeconds(), AuthTime(tokens.IdToken));
        Assert.True(OidcSetup.QueryOf(OidcSetup.RedirectToClient(again)).ContainsKey("code"));
    }

    /// <summary>Uses the portal every half hour for <paramref name="duration"/>, checking the session survives.</summary>
    private async Task KeepUsingAsync(PortalClient browser, TimeSpan duration)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += TimeSpan.FromMinutes(30))
        {
            factory.Clock.Advance(TimeSpan.FromMinutes(30));
            using var page = await browser.Http.GetAsync("/workspaces");
            browser.AssertStatus(HttpStatusCode.OK, page);
        }
    }

    private async Task<TokenResponse> RedeemAnotherCodeAsync(PortalClient browser, Clients.CreatedClient client)
    {
        var pkce = Pkce.Create();
        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce));
        using var server = factory.Backchannel();
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(OidcSetup.RedirectToClient(response)), pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        return tokens;
    }

    private static string AuthorizeWithMaxAge(string clientId, int seconds, Pkce? pkce = null) =>
        OidcIntents.AuthorizeUrl(clientId, pkce ?? Pkce.Create(), extra: new Dictionary<string, string?> { ["max_age"] = seconds.ToString(CultureInfo.InvariantCulture) });

    private static long AuthTime(string? idToken) =>
        long.Parse(OidcSetup.Claim(idToken, "auth_time") ?? throw new InvalidOperationException("The ID token has no auth_time."), CultureInfo.InvariantCulture);

    private static void AssertSentToLogin(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("https://localhost"), response.Headers.Location!);
        Assert.Equal("/account/login", location.AbsolutePath);
        Assert.Equal("true", QueryHelpers.ParseQuery(location.Query)["reauth"].ToString());
    }
}
