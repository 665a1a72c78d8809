using System.Net;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests;

/// <summary>The "done when" of the foundation: sign up, verify, log in, create a workspace, invite, accept, audit.</summary>
public sealed class DeveloperJourneyTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task NewDeveloper_CanSignUpVerifyCreateAWorkspaceAndInviteAColleague()
    {
        var (owner, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Ledger Pro");

        var colleagueEmail = Intents.NewEmail("colleague");
        var link = await factory.InviteAsync(ownerClient, workspaceId, colleagueEmail, WorkspaceRole.Editor);
        var colleague = await factory.SignUpAsync(colleagueEmail);
        await factory.VerifyEmailAsync(colleague);
        using var colleagueClient = await factory.LoginAsync(colleague);
        using var accepted = await colleagueClient.AcceptInvitationAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal($"/workspaces/{workspaceId}", accepted.Headers.Location!.OriginalString);

        var members = await ownerClient.GetPageAsync($"/workspaces/{workspaceId}/members");
        Assert.Contains(colleagueEmail, members.Body!.TextContent, StringComparison.Ordinal);

        var audit = await ownerClient.GetPageAsync($"/workspaces/{workspaceId}/audit");
        var actions = audit.QuerySelectorAll("tbody code").Select(c => c.TextContent).ToList();
        Assert.Equal(["invitation.accepted", "member.invited", "workspace.created"], actions);
        Assert.Contains(owner.Email, audit.Body!.TextContent, StringComparison.Ordinal);
        ownerClient.Dispose();
    }
}
