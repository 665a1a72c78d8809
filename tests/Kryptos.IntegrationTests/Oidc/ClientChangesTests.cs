using System.Net;
using System.Text.Json;
using Kryptos.Connect.Core.Audit;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// What a developer changes on a client reaches the grants users already gave it: a removed scope
/// leaves them, disabling kills every token (and re-enabling revives none), deleting removes
/// everything the client holds.
/// </summary>
public sealed class ClientChangesTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private static readonly string[] Registered = ["openid", "profile", "email", "offline_access", "portfolios:read", "transactions:read"];

    [Fact]
    public async Task RemovingAScopeFromTheClient_NarrowsItsGrants_AndTheNextRefreshLacksIt()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync(new ClientSpec(Scopes: Registered));
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user, "openid offline_access portfolios:read transactions:read");
        Assert.Contains("transactions:read", ScopesOf(tokens.AccessToken));

        await developer.EditClientScopesAsync(client, ["openid", "profile", "email", "offline_access", "portfolios:read"]);
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.Equal(["offline_access", "openid", "portfolios:read"], ScopesOf(refreshed.AccessToken).Order(StringComparer.Ordinal));
        var grant = await factory.GrantOfAsync(refreshed.AccessToken!);
        Assert.DoesNotContain("transactions:read", JsonSerializer.Deserialize<List<string>>(grant.Scopes!)!);
        var workspaceId = await factory.WithDbAsync(db => db.OAuthClients.Where(c => c.ClientId == client.ClientId).Select(c => c.WorkspaceId).SingleAsync());
        var audit = await factory.AuditEventsAsync(workspaceId, AuditActions.ClientUpdated);
        Assert.Contains(audit, e => e.Summary.EndsWith("removed transactions:read from its grants", StringComparison.Ordinal));
        developer.Dispose();
    }

    [Fact]
    public async Task DisablingAClient_KillsItsTokens_AndReEnablingRevivesNone_ButConsentIsRemembered()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        using var _ = browser;
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);

        await developer.DisableClientAsync(client);

        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.RefreshToken!)).Active);
        var whileDisabled = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, whileDisabled.Status);

        await developer.EnableClientAsync(client);
        var afterEnabling = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, afterEnabling.Status);
        Assert.Equal("invalid_grant", afterEnabling.Error);

        // The user signs in again: no consent screen (the grant is remembered), new tokens work.
        var again = Pkce.Create();
        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, again));
        var fresh = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(OidcSetup.RedirectToClient(response)), again.Verifier);
        Assert.Equal(HttpStatusCode.OK, fresh.Status);
        developer.Dispose();
    }

    [Fact]
    public async Task DeletingAClient_RemovesEveryGrantAndTokenItHolds()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var grant = await factory.GrantOfAsync(tokens.AccessToken!);

        using (var deleted = await developer.SubmitAsync(client.DetailsUrl, new Dictionary<string, string> { ["DeleteConfirmation"] = "Acme Tax" }, "form[action*='handler=Delete']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        Assert.False(await factory.WithDbAsync(db => db.OAuthGrants.AnyAsync(g => g.Id == grant.Id)));
        Assert.Equal(0, await factory.WithDbAsync(db => db.Set<Kryptos.Connect.Authorization.OAuthToken>().CountAsync(t => t.Authorization!.Id == grant.Id)));
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal("invalid_client", refreshed.Error);
        developer.Dispose();
    }

    private static string[] ScopesOf(string? accessToken) => (OidcSetup.Claim(accessToken, "scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
}
