using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Workspaces;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Who may share a team workspace with an app: owners and admins, and every member only where the
/// workspace allows it. Every new grant is in the workspace's audit log, and owners and admins see
/// and revoke the apps connected to it.
/// </summary>
public sealed class WorkspaceSharingTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AViewer_IsNotOfferedTheTeamWorkspace_AndCannotForceIt()
    {
        var client = await factory.PublishClientAsync();
        var (_, owner) = await factory.SignedInUserAsync();
        var team = await owner.CreateWorkspaceAsync("Team Ledger");
        var (viewer, browser) = await factory.MemberAsync(owner, team, WorkspaceRole.Viewer);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));
        var consent = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        var offered = consent.QuerySelectorAll("input[name='kryptos_workspace']").Select(i => i.GetAttribute("value")).ToList();
        using var forced = await browser.SubmitConsentAsync(consent, new() { ["kryptos_decision"] = "allow", ["kryptos_workspace"] = team.ToString() });

        Assert.Equal([(await factory.PersonalWorkspaceIdAsync(viewer)).ToString()], offered);
        Assert.Contains("Team Ledger", consent.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Contains("Choose the workspace to share.", AccountIntents.FormErrors(await PortalClient.ReadPageAsync(forced)), StringComparison.Ordinal);
        Assert.Empty(await factory.AuditEventsAsync(team, AuditActions.AppConnected));
        owner.Dispose();
        browser.Dispose();
    }

    [Fact]
    public async Task AnAdmin_SharesTheTeamWorkspace_AndTheGrantIsInItsAuditLog()
    {
        var client = await factory.PublishClientAsync();
        var (_, owner) = await factory.SignedInUserAsync();
        var team = await owner.CreateWorkspaceAsync("Team Taxes");
        var (admin, browser) = await factory.MemberAsync(owner, team, WorkspaceRole.Admin);

        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid portfolios:read"), admin, team);

        Assert.True(OidcSetup.QueryOf(redirect).ContainsKey("code"));
        var connected = Assert.Single(await factory.AuditEventsAsync(team, AuditActions.AppConnected));
        Assert.Equal(admin.Email, connected.ActorEmail);
        Assert.Equal($"{admin.Email} connected \"Acme Tax\" ({client.ClientId}) with openid portfolios:read", connected.Summary);
        owner.Dispose();
        browser.Dispose();
    }

    [Fact]
    public async Task WhenMembersMayConnectApps_AViewerCanShare_AndTurningItOffRevokesWhatTheyShared()
    {
        var client = await factory.PublishClientAsync();
        var (_, owner) = await factory.SignedInUserAsync();
        var team = await owner.CreateWorkspaceAsync("Open Team");
        var (viewer, browser) = await factory.MemberAsync(owner, team, WorkspaceRole.Viewer);
        await SetMembersMayConnectAppsAsync(owner, team, true);
        using var server = factory.Backchannel();
        var pkce = Pkce.Create();
        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), viewer, team);
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);

        await SetMembersMayConnectAppsAsync(owner, team, false);

        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal("invalid_grant", refreshed.Error);
        owner.Dispose();
        browser.Dispose();
    }

    [Fact]
    public async Task DemotingAnAdminToEditor_RevokesTheGrantsTheyGaveOnTheWorkspace()
    {
        var client = await factory.PublishClientAsync();
        var (_, owner) = await factory.SignedInUserAsync();
        var team = await owner.CreateWorkspaceAsync("Demotions");
        var (admin, browser) = await factory.MemberAsync(owner, team, WorkspaceRole.Admin);
        using var server = factory.Backchannel();
        var pkce = Pkce.Create();
        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), admin, team);
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);

        using (var demoted = await owner.ChangeRoleAsync(team, await factory.UserIdAsync(admin), WorkspaceRole.Editor))
        {
            Assert.Equal(HttpStatusCode.Redirect, demoted.StatusCode);
        }

        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        owner.Dispose();
        browser.Dispose();
    }

    [Fact]
    public async Task OwnersAndAdmins_SeeTheWorkspacesConnectedApps_AndRevokeThem_ViewersCannot()
    {
        var client = await factory.PublishClientAsync();
        var (_, owner) = await factory.SignedInUserAsync();
        var team = await owner.CreateWorkspaceAsync("Watched Team");
        var (admin, adminBrowser) = await factory.MemberAsync(owner, team, WorkspaceRole.Admin);
        var (_, viewer) = await factory.MemberAsync(owner, team, WorkspaceRole.Viewer);
        using var server = factory.Backchannel();
        var pkce = Pkce.Create();
        var redirect = await adminBrowser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, "openid offline_access portfolios:read"), admin, team);
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        var url = $"/workspaces/{team}/connected-apps";

        var page = await owner.GetPageAsync(url);
        var card = page.QuerySelector("section[aria-label='Acme Tax']")!.TextContent;
        using var forViewer = await viewer.Http.GetAsync(new Uri(url, UriKind.Relative));
        var (_, stranger) = await factory.SignedInUserAsync();
        var strangerTeam = await stranger.CreateWorkspaceAsync("Elsewhere");
        var grantId = (await factory.GrantOfAsync(tokens.AccessToken!)).Id!;
        using var fromElsewhere = await stranger.PostDirectAsync($"/workspaces/{strangerTeam}/connected-apps?handler=Revoke", [new("grantId", grantId)]);

        Assert.Contains(admin.Email, card, StringComparison.Ordinal);
        Assert.Contains(client.ClientId, card, StringComparison.Ordinal);
        Assert.Contains("Portfolios and holdings", card, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, forViewer.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, fromElsewhere.StatusCode);
        Assert.True((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);

        using var revoked = await owner.SubmitAsync(url, formSelector: "form[action*='handler=Revoke']");

        Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        Assert.Equal("invalid_grant", (await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!)).Error);
        var disconnected = Assert.Single(await factory.AuditEventsAsync(team, AuditActions.AppDisconnected));
        Assert.Equal($"Revoked the access of \"Acme Tax\" ({client.ClientId}) given by {admin.Email}", disconnected.Summary);
        Assert.Null((await owner.GetPageAsync(url)).QuerySelector("section[aria-label='Acme Tax']"));
        owner.Dispose();
        adminBrowser.Dispose();
        viewer.Dispose();
        stranger.Dispose();
    }

    private static async Task SetMembersMayConnectAppsAsync(PortalClient owner, Guid workspaceId, bool allowed)
    {
        var page = await owner.GetPageAsync($"/workspaces/{workspaceId}/settings");
        var box = (AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("input[name='Input.MembersMayConnectApps'][type='checkbox']")!;
        box.IsChecked = allowed;
        using var response = await owner.SubmitAsync(page, $"/workspaces/{workspaceId}/settings", formSelector: "main form:not([action])");
        owner.AssertStatus(HttpStatusCode.Redirect, response);
    }
}
