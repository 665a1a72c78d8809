using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>A user sees the apps they let in, and revoking one kills its tokens at once.</summary>
public sealed class ConnectedAppsTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AnAuthorizedApp_IsListedWithPublisherWorkspaceScopesAndDates()
    {
        var (app, user, browser, _) = await ConnectAsync("Ledger Sync", "Ledger Co");

        var page = await browser.GetPageAsync("/account/connected-apps");

        var card = page.QuerySelectorAll("section.card").Single(c => c.TextContent.Contains("Ledger Sync", StringComparison.Ordinal));
        Assert.Contains("Published by Ledger Co", card.TextContent, StringComparison.Ordinal);
        Assert.Contains($"{user.Name}'s workspace", card.TextContent, StringComparison.Ordinal);
        Assert.Contains("portfolios:read", card.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("never", card.QuerySelectorAll("dd")[^1].TextContent, StringComparison.Ordinal);
        _ = app;
        browser.Dispose();
    }

    [Fact]
    public async Task RevokingAnApp_KillsItsRefreshAndAccessTokensAtOnce()
    {
        var (app, _, browser, tokens) = await ConnectAsync("Tax Robot", "Robots Inc");
        using var server = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        Assert.True(await IsActiveAsync(server, app, tokens.AccessToken!));

        var page = await browser.GetPageAsync("/account/connected-apps");
        var form = page.QuerySelectorAll("section.card").Single(c => c.TextContent.Contains("Tax Robot", StringComparison.Ordinal)).QuerySelector("form")!;
        var grantId = ((IHtmlInputElement)form.QuerySelector("input[name='grantId']")!).Value;
        using (var revoke = await browser.SubmitAsync("/account/connected-apps", new Dictionary<string, string> { ["grantId"] = grantId }, $"form:has(input[value='{grantId}'])"))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        }

        var refreshed = await server.RefreshAsync(app.ClientId, app.Secret, tokens.RefreshToken!);
        Assert.Equal("invalid_grant", refreshed.Error);
        Assert.False(await IsActiveAsync(server, app, tokens.AccessToken!));
        var after = await browser.GetPageAsync("/account/connected-apps");
        Assert.DoesNotContain("Tax Robot", after.Body!.TextContent, StringComparison.Ordinal);
        browser.Dispose();
    }

    [Fact]
    public async Task SomeoneElsesGrant_IsNotFound_AndStaysValid()
    {
        var (app, _, victimBrowser, tokens) = await ConnectAsync("Victim App", "Victim Co");
        var victimPage = await victimBrowser.GetPageAsync("/account/connected-apps");
        var grantId = ((IHtmlInputElement)victimPage.QuerySelector("input[name='grantId']")!).Value;
        var (_, mallory) = await factory.SignedInUserAsync();

        using var response = await mallory.PostDirectAsync("/account/connected-apps?handler=Revoke", [new("grantId", grantId)]);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using var server = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        Assert.Equal(HttpStatusCode.OK, (await server.RefreshAsync(app.ClientId, app.Secret, tokens.RefreshToken!)).Status);
        victimBrowser.Dispose();
        mallory.Dispose();
    }

    private async Task<(CreatedClient App, TestUser User, PortalClient Browser, TokenResponse Tokens)> ConnectAsync(string appName, string publisher)
    {
        var (_, developer) = await factory.SignedInUserAsync();
        var workspaceId = await developer.CreateWorkspaceAsync(publisher);
        var app = await developer.CreateClientAsync(workspaceId, appName);
        var (user, browser) = await factory.SignedInUserAsync();
        var pkce = Pkce.Create();
        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(app.ClientId, pkce), user);
        using var server = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        var tokens = await server.RedeemCodeAsync(app.ClientId, app.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        developer.Dispose();
        return (app, user, browser, tokens);
    }

    private static async Task<bool> IsActiveAsync(HttpClient server, CreatedClient app, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/token/introspection")
        {
            Content = new FormUrlEncodedContent([new("token", token)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{app.ClientId}:{app.Secret}")));
        using var response = await server.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("active").GetBoolean();
    }
}
