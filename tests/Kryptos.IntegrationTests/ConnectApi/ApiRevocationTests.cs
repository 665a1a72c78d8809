using System.Net;
using AngleSharp.Html.Dom;
using Kryptos.Connect.Authorization.ApiAccess;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>
/// A revoked grant stops working at /v1 within 5 seconds, even for a token the API has cached, and
/// without a database query per request: the revocation view is reloaded in the background.
/// </summary>
public sealed class ApiRevocationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task RevokingTheAppOnTheConnectedAppsPage_EndsApiAccessWithinFiveSeconds()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        await AssertWorksAsync(http, app.AccessToken);
        using var browser = factory.NewClient();
        using (var login = await browser.LoginAsync(app.User))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        var page = await browser.GetPageAsync("/account/connected-apps");
        var grantId = ((IHtmlInputElement)page.QuerySelector("input[name='grantId']")!).Value;
        using (var revoke = await browser.SubmitAsync("/account/connected-apps", new Dictionary<string, string> { ["grantId"] = grantId }, $"form:has(input[value='{grantId}'])"))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        }

        await AssertEndsWithinWindowAsync(http, app.AccessToken);
    }

    [Fact]
    public async Task RevokingOneAccessToken_EndsIt_ButNotTheGrantsOtherTokens()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        var refreshed = await http.RefreshAsync(app.Client.ClientId, app.Client.Secret, app.Tokens.RefreshToken!);
        await AssertWorksAsync(http, app.AccessToken);
        await AssertWorksAsync(http, refreshed.AccessToken!);

        using (var revoked = await http.RevokeTokenAsync(app.Client.ClientId, app.Client.Secret, app.AccessToken, "access_token"))
        {
            Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        }

        await AssertEndsWithinWindowAsync(http, app.AccessToken);
        await AssertWorksAsync(http, refreshed.AccessToken!);
    }

    [Fact]
    public async Task AMemberRemovedFromTheWorkspace_LosesApiAccess()
    {
        var client = await factory.PublishClientAsync();
        var (_, owner) = await factory.SignedInUserAsync();
        using (owner)
        {
            var team = await owner.CreateWorkspaceAsync("Team Books");
            var (member, browser) = await factory.MemberAsync(owner, team, WorkspaceRole.Admin);
            using (browser)
            {
                var pkce = Pkce.Create();
                var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, AllScopes), member, team);
                using var http = factory.Backchannel();
                var tokens = await http.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
                using (var before = await http.GetApiAsync("/v1/workspace", tokens.AccessToken))
                {
                    Assert.Equal(team.ToString(), (await JsonAsync(before)).GetProperty("data").GetProperty("id").GetString());
                }

                using (var removed = await owner.RemoveMemberAsync(team, await factory.UserIdAsync(member)))
                {
                    Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
                }

                await AssertEndsWithinWindowAsync(http, tokens.AccessToken!, "/v1/workspace");
            }
        }
    }

    [Fact]
    public async Task DeletingTheWorkspace_EndsApiAccess_ThoughItsGrantRowsAreGone()
    {
        var client = await factory.PublishClientAsync();
        var (user, owner) = await factory.SignedInUserAsync();
        using (owner)
        {
            var team = await owner.CreateWorkspaceAsync("Short Lived Books");
            var pkce = Pkce.Create();
            var redirect = await owner.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, AllScopes), user, team);
            using var http = factory.Backchannel();
            var tokens = await http.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
            await AssertWorksAsync(http, tokens.AccessToken!);

            using (var deleted = await owner.DeleteWorkspaceAsync(team, "Short Lived Books"))
            {
                owner.AssertStatus(HttpStatusCode.Redirect, deleted);
            }

            await AssertEndsWithinWindowAsync(http, tokens.AccessToken!);
        }
    }

    [Fact]
    public async Task ADisabledAccount_LosesApiAccess()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        await AssertWorksAsync(http, app.AccessToken);
        var userId = await factory.UserIdAsync(app.User);

        // An operator suspends the account (there is no page for it).
        await factory.WithDbAsync(db => db.Users.Where(u => u.Id == userId)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.DisabledAt, DateTimeOffset.UtcNow)));

        await AssertEndsWithinWindowAsync(http, app.AccessToken);
    }

    [Fact]
    public async Task RepeatedCalls_QueryNoGrant_AndValidateNoToken_Again()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        var view = factory.Services.GetRequiredService<RevocationView>();
        // The first call may look the new grant up (it can be newer than the view); then it is known.
        await AssertWorksAsync(http, app.AccessToken);
        await factory.Services.GetRequiredService<RevocationView>().RefreshAsync();
        var lookups = view.GrantLookups;

        for (var i = 0; i < 20; i++)
        {
            await AssertWorksAsync(http, app.AccessToken);
        }

        Assert.Equal(lookups, view.GrantLookups);
    }

    private static async Task AssertWorksAsync(HttpClient http, string accessToken, string path = "/v1/users/me")
    {
        using var response = await http.GetApiAsync(path, accessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static async Task AssertEndsWithinWindowAsync(HttpClient http, string accessToken, string path = "/v1/users/me")
    {
        await WithinAsync(Window, async () =>
        {
            using var response = await http.GetApiAsync(path, accessToken);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "The revoked token kept working");
        using var refused = await http.GetApiAsync(path, accessToken);
        await ProblemAsync(refused, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.StartsWith("Bearer error=\"invalid_token\"", refused.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }
}
