using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>Changing a member's role, removing a member and leaving, each with its audit event.</summary>
public sealed class MemberManagementTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task Owner_ChangesAMembersRole_AndTheAuditLogSaysFromWhatToWhat()
    {
        var (owner, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Promotions");
        var (member, memberClient) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Editor);
        using (var before = await memberClient.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/audit", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, before.StatusCode);
        }

        using var response = await ownerClient.ChangeRoleAsync(workspaceId, await factory.UserIdAsync(member), WorkspaceRole.Admin);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(WorkspaceRole.Admin, await factory.RoleOfAsync(workspaceId, member.Email));
        var changed = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRoleChanged));
        Assert.Equal($"Changed the role of {member.Email} from editor to admin", changed.Summary);
        Assert.Equal(owner.Email, changed.ActorEmail);
        // The new role applies at once.
        await memberClient.GetPageAsync($"/workspaces/{workspaceId}/audit");
        ownerClient.Dispose();
        memberClient.Dispose();
    }

    [Fact]
    public async Task ChangingToTheSameRole_ChangesNothingAndIsNotAudited()
    {
        var (_, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("No-op");
        var (member, _) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Viewer);

        using var response = await ownerClient.ChangeRoleAsync(workspaceId, await factory.UserIdAsync(member), WorkspaceRole.Viewer);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(WorkspaceRole.Viewer, await factory.RoleOfAsync(workspaceId, member.Email));
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRoleChanged));
        ownerClient.Dispose();
    }

    [Theory]
    [InlineData("")]
    [InlineData("Superuser")]
    [InlineData("7")]
    public async Task ChangingToARoleThatDoesNotExist_IsRefusedAndKeepsTheRole(string role)
    {
        var (_, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Known Roles");
        var (member, _) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Viewer);

        using var response = await ownerClient.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = (await factory.UserIdAsync(member)).ToString(),
            ["role"] = role,
        });

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Choose one of the listed roles."], page.FormErrors());
        Assert.Equal(WorkspaceRole.Viewer, await factory.RoleOfAsync(workspaceId, member.Email));
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRoleChanged));
        ownerClient.Dispose();
    }

    [Fact]
    public async Task Owner_RemovesAMember_WhoThenNoLongerSeesTheWorkspace()
    {
        var (owner, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Smaller Team");
        var (member, memberClient) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Editor);

        using var response = await ownerClient.RemoveMemberAsync(workspaceId, await factory.UserIdAsync(member));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await factory.RoleOfAsync(workspaceId, member.Email));
        Assert.Equal(1, await factory.MemberCountAsync(workspaceId));
        var removed = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRemoved));
        Assert.Equal($"Removed {member.Email} (editor)", removed.Summary);
        Assert.Equal(owner.Email, removed.ActorEmail);
        var members = await ownerClient.FollowAsync(response);
        Assert.DoesNotContain(member.Email, members.QuerySelector("section[aria-labelledby='members-heading']")!.TextContent, StringComparison.Ordinal);

        using var dashboard = await memberClient.Http.GetAsync(new Uri($"/workspaces/{workspaceId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
        var list = await memberClient.GetPageAsync("/workspaces");
        Assert.DoesNotContain(list.QuerySelectorAll("main a.card-link"), a => a.GetAttribute("href") == $"/workspaces/{workspaceId}");
        ownerClient.Dispose();
        memberClient.Dispose();
    }

    [Fact]
    public async Task Admin_RemovesAnEditor()
    {
        var (_, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Admin Cleans Up");
        var (admin, adminClient) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Admin);
        var (editor, _) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Editor);

        using var response = await adminClient.RemoveMemberAsync(workspaceId, await factory.UserIdAsync(editor));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await factory.RoleOfAsync(workspaceId, editor.Email));
        Assert.Equal(admin.Email, Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRemoved)).ActorEmail);
        ownerClient.Dispose();
        adminClient.Dispose();
    }

    [Theory]
    [InlineData(WorkspaceRole.Viewer)]
    [InlineData(WorkspaceRole.Editor)]
    [InlineData(WorkspaceRole.Admin)]
    public async Task Member_LeavesAWorkspace_AndTheAuditLogRecordsIt(WorkspaceRole role)
    {
        var (_, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Goodbye");
        var (member, memberClient) = await factory.MemberAsync(ownerClient, workspaceId, role);

        using var response = await memberClient.LeaveWorkspaceAsync(workspaceId);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/workspaces", response.Headers.Location!.OriginalString);
        Assert.Null(await factory.RoleOfAsync(workspaceId, member.Email));
        var left = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberLeft));
        Assert.Equal(member.Email, left.ActorEmail);
        Assert.Equal($"{member.Email} left the workspace", left.Summary);
        var list = await memberClient.FollowAsync(response);
        Assert.Contains("You left \"Goodbye\".", list.QuerySelector(".alert.success")!.TextContent, StringComparison.Ordinal);
        using var dashboard = await memberClient.Http.GetAsync(new Uri($"/workspaces/{workspaceId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, dashboard.StatusCode);
        ownerClient.Dispose();
        memberClient.Dispose();
    }
}
