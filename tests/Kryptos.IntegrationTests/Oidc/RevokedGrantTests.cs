using System.Net;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>Revoking a grant (connected apps → revoke) kills every token issued under it, at once.</summary>
public sealed class RevokedGrantTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AfterTheGrantIsRevoked_TheRefreshTokenIsRefused_AndTheAccessTokenIsInactive()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.True((await server.IntrospectAsync(client.ClientId, client.Secret, refreshed.AccessToken!)).Active);
        var grant = await factory.GrantOfAsync(refreshed.AccessToken!);

        await factory.RevokeGrantAsync(grant.Id!);

        var refused = await server.RefreshAsync(client.ClientId, client.Secret, refreshed.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.Equal("invalid_grant", refused.Error);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, refreshed.AccessToken!)).Active);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
    }

    [Fact]
    public async Task AfterTheGrantIsRevoked_TheUserIsAskedForConsentAgain()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        using (browser)
        {
            var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
            await factory.RevokeGrantAsync((await factory.GrantOfAsync(tokens.AccessToken!)).Id!);

            using var again = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));

            Assert.Equal(HttpStatusCode.OK, again.StatusCode);
            Assert.NotNull((await PortalClient.ReadPageAsync(again)).QuerySelector("button[value='allow']"));
        }
    }

    [Fact]
    public async Task ACodeIssuedBeforeTheGrantWasRevoked_CannotBeRedeemed()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var (_, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), user);
        using (browser)
        {
            // Consent is remembered: this second code comes from the same grant.
            var pkce = Pkce.Create();
            using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce));
            var code = OidcIntents.CodeFrom(OidcSetup.RedirectToClient(response));
            var userId = (await factory.UserIdAsync(user)).ToString();
            var grantId = await factory.WithDbAsync(db => db.OAuthGrants.Where(g => g.Subject == userId).Select(g => g.Id!).SingleAsync());

            await factory.RevokeGrantAsync(grantId);

            var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, pkce.Verifier);
            Assert.Equal(HttpStatusCode.BadRequest, tokens.Status);
            Assert.Equal("invalid_grant", tokens.Error);
        }
    }

    [Fact]
    public async Task AMemberRemovedFromTheSharedWorkspace_LosesTheGrant_AccessTokensIncluded()
    {
        var client = await factory.PublishClientAsync();
        var (_, owner) = await factory.SignedInUserAsync();
        using (owner)
        {
            var team = await owner.CreateWorkspaceAsync("Team Books");
            // An admin: only owners and admins may share a team workspace with apps (by default).
            var (member, browser) = await factory.MemberAsync(owner, team, WorkspaceRole.Admin);
            using (browser)
            {
                var pkce = Pkce.Create();
                var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), member, team);
                using var server = factory.Backchannel();
                var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
                Assert.Equal(team.ToString(), OidcSetup.Claim(tokens.AccessToken, "kryptos_workspace"));

                using (var removed = await owner.RemoveMemberAsync(team, await factory.UserIdAsync(member)))
                {
                    Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
                }

                var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
                Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
                Assert.Equal("invalid_grant", refreshed.Error);
                Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
            }
        }
    }

    [Fact]
    public async Task DeletingAWorkspaceThatAppsCanRead_KillsTheirTokens()
    {
        var client = await factory.PublishClientAsync();
        var (user, owner) = await factory.SignedInUserAsync();
        using (owner)
        {
            var team = await owner.CreateWorkspaceAsync("Short Lived Books");
            var pkce = Pkce.Create();
            var redirect = await owner.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user, team);
            using var server = factory.Backchannel();
            var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
            Assert.Equal(HttpStatusCode.OK, tokens.Status);

            using (var deleted = await owner.DeleteWorkspaceAsync(team, "Short Lived Books"))
            {
                owner.AssertStatus(HttpStatusCode.Redirect, deleted);
            }

            Assert.Equal("invalid_grant", (await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!)).Error);
            Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        }
    }
}
