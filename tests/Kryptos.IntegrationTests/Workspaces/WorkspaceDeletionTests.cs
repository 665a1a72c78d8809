using System.Net;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>An owner deletes a workspace by typing its name; members, invitations and the audit log go with it.</summary>
public sealed class WorkspaceDeletionTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData("")]
    [InlineData("Doomed")]
    [InlineData("doomed books")]
    [InlineData("Doomed Books!")]
    public async Task WrongTypedConfirmation_ShowsAnErrorAndKeepsTheWorkspace(string typed)
    {
        var (user, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Doomed Books");

        using var response = await client.DeleteWorkspaceAsync(workspaceId, typed);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal("Type the workspace name exactly as shown to confirm.", page.FieldError("DeleteConfirmation"));
        Assert.NotNull(await factory.WorkspaceAsync(workspaceId));
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, user.Email));
        client.Dispose();
    }

    [Fact]
    public async Task TypingTheName_DeletesTheWorkspaceWithItsMembersInvitationsAndAuditLog()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Doomed Books");
        var keptId = await owner.CreateWorkspaceAsync("Kept Books");
        var (_, member) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Editor);
        var link = await factory.InviteAsync(owner, workspaceId, Intents.NewEmail("pending"), WorkspaceRole.Viewer);

        using var response = await owner.DeleteWorkspaceAsync(workspaceId, "Doomed Books");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/workspaces", response.Headers.Location!.OriginalString);
        Assert.Null(await factory.WorkspaceAsync(workspaceId));
        var leftovers = await factory.WithDbAsync(async db => new
        {
            Members = await db.WorkspaceMembers.CountAsync(m => m.WorkspaceId == workspaceId),
            Invitations = await db.WorkspaceInvitations.CountAsync(i => i.WorkspaceId == workspaceId),
            Events = await db.AuditEvents.CountAsync(e => e.WorkspaceId == workspaceId),
        });
        Assert.Equal(new { Members = 0, Invitations = 0, Events = 0 }, leftovers);
        Assert.NotNull(await factory.WorkspaceAsync(keptId));
        Assert.NotEmpty(await factory.AuditEventsAsync(keptId));

        var list = await owner.FollowAsync(response);
        Assert.Contains("Workspace \"Doomed Books\" was deleted.", list.QuerySelector(".alert.success")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(list.QuerySelectorAll("main a.card-link"), a => a.GetAttribute("href") == $"/workspaces/{workspaceId}");
        using var memberView = await member.Http.GetAsync(new Uri($"/workspaces/{workspaceId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, memberView.StatusCode);
        using var invitationView = await factory.NewClient().Http.GetAsync(new Uri(link, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, invitationView.StatusCode);
        owner.Dispose();
        member.Dispose();
    }
}
