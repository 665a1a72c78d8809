using System.Net;
using AngleSharp.Html.Dom;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// The consent screen: the user allows or denies, chooses the one workspace to share, and is asked
/// again only when the client insists (prompt=consent) or wants more.
/// </summary>
public sealed class ConsentTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task TheConsentScreen_ShowsTheAppItsPublisherTheScopesAndTheWorkspaces()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Name: "Tax Wizard"));
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        var page = await browser.GetPageAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid email portfolios:read"));

        var text = page.QuerySelector("main")!.TextContent;
        Assert.Contains("Tax Wizard", text, StringComparison.Ordinal);
        Assert.Contains("Acme Publishing", text, StringComparison.Ordinal);
        Assert.Contains("Your email address", text, StringComparison.Ordinal);
        Assert.Contains("Portfolios and holdings", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Transactions", text, StringComparison.Ordinal);
        Assert.Single(page.QuerySelectorAll("input[name='kryptos_workspace']"));
    }

    [Fact]
    public async Task Deny_RedirectsWithAccessDenied_TheStateAndTheIssuer()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();

        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "s-123"), user, decision: "deny");

        var query = OidcSetup.QueryOf(redirect);
        Assert.Equal("access_denied", query["error"]);
        Assert.Equal("s-123", query["state"]);
        Assert.Equal(OidcSetup.Issuer, query["iss"]);
        Assert.False(query.ContainsKey("code"));
        Assert.Equal(0, await GrantCountAsync(user));
    }

    [Fact]
    public async Task RememberedConsent_SkipsTheScreenNextTime()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);

        using var again = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "second"));

        var query = OidcSetup.QueryOf(OidcSetup.RedirectToClient(again));
        Assert.True(query.ContainsKey("code"));
        Assert.Equal("second", query["state"]);
        Assert.Equal(OidcSetup.Issuer, query["iss"]);
        Assert.Equal(1, await GrantCountAsync(user));
    }

    [Fact]
    public async Task PromptConsent_AsksAgain_EvenWhenConsentIsRemembered()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);

        using var again = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: new Dictionary<string, string?> { ["prompt"] = "consent" }));

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.NotNull((await PortalClient.ReadPageAsync(again)).QuerySelector("button[value='allow']"));
    }

    [Fact]
    public async Task ANewScope_AsksAgain_ButFewerScopesDoNot()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = factory.NewClient();
        await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid profile portfolios:read"), user);

        using (var fewer = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid portfolios:read")))
        {
            Assert.True(OidcSetup.QueryOf(OidcSetup.RedirectToClient(fewer)).ContainsKey("code"));
        }

        using var more = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid profile portfolios:read transactions:read"));

        Assert.Equal(HttpStatusCode.OK, more.StatusCode);
        var page = await PortalClient.ReadPageAsync(more);
        Assert.NotNull(page.QuerySelector("button[value='allow']"));
        Assert.Contains("Transactions", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserInSeveralWorkspaces_ChoosesOne_AndTheAccessTokenIsBoundToIt()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);
        var side = await browser.CreateWorkspaceAsync("Side Project");
        var personal = await factory.PersonalWorkspaceIdAsync(user);
        var pkce = Pkce.Create();

        var page = await browser.GetPageAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce));
        var choices = page.QuerySelectorAll("input[name='kryptos_workspace']").Cast<IHtmlInputElement>().Select(i => i.Value).ToList();
        // The personal workspace comes first and is preselected; the user picks the other one.
        Assert.Equal([personal.ToString(), side.ToString()], choices);
        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user, side);
        using var server = factory.Backchannel();
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.Equal(side.ToString(), OidcSetup.Claim(tokens.AccessToken, "kryptos_workspace"));
        Assert.Equal(side, (await factory.GrantOfAsync(tokens.AccessToken!)).WorkspaceId);
        // The same choice holds after a refresh.
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(side.ToString(), OidcSetup.Claim(refreshed.AccessToken, "kryptos_workspace"));
    }

    [Fact]
    public async Task ChoosingAWorkspaceTheUserIsNotAMemberOf_IsRefused()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        var stranger = await factory.NewUserAsync("Eve");
        var strangersWorkspace = await factory.PersonalWorkspaceIdAsync(stranger);
        using var browser = await factory.LoginAsync(user);
        var page = await browser.GetPageAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));

        using var response = await browser.SubmitConsentAsync(page, new Dictionary<string, string>
        {
            ["kryptos_decision"] = "allow",
            ["kryptos_workspace"] = strangersWorkspace.ToString(),
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var again = await PortalClient.ReadPageAsync(response);
        Assert.Contains("Choose the workspace to share", again.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await GrantCountAsync(user));
    }

    [Fact]
    public async Task TheDecision_NeedsTheConsentFormsAntiforgeryToken()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);
        var page = await browser.GetPageAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));
        page.QuerySelector("form[action='/oidc/auth'] input[name='__RequestVerificationToken']")!.Remove();

        using var response = await browser.SubmitConsentAsync(page, new Dictionary<string, string> { ["kryptos_decision"] = "allow" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Equal(0, await GrantCountAsync(user));
    }

    private async Task<int> GrantCountAsync(TestUser user)
    {
        var id = (await factory.UserIdAsync(user)).ToString();
        return await factory.WithDbAsync(db => db.OAuthGrants.CountAsync(g => g.Subject == id));
    }
}
