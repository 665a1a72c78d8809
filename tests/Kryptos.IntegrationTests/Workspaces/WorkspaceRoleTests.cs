using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>
/// What each role may do, enforced on the server (a member lacking the role gets 403 and nothing
/// changes), and the owner rules: only owners manage owners, a workspace keeps at least one owner,
/// a personal workspace is neither deleted nor left.
/// </summary>
public sealed class WorkspaceRoleTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task Viewer_SeesTheSettingsReadOnly_ButSavingThemIsForbiddenAndChangesNothing()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Read Only");
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);

        var page = await viewer.GetPageAsync($"/workspaces/{workspaceId}/settings");
        Assert.NotNull(page.QuerySelector("main form fieldset[disabled]"));
        Assert.DoesNotContain(page.QuerySelectorAll("main button"), b => b.TextContent.Contains("Save settings", StringComparison.Ordinal));

        using var response = await viewer.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>
        {
            ["Input.Name"] = "Viewer Was Here",
            ["Input.BaseCurrency"] = "JPY",
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var workspace = await factory.WorkspaceAsync(workspaceId);
        Assert.Equal("Read Only", workspace!.Name);
        Assert.Equal("USD", workspace.BaseCurrency);
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.WorkspaceSettingsChanged));
        owner.Dispose();
        viewer.Dispose();
    }

    [Fact]
    public async Task Editor_CannotSaveSettings()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Editors Look");
        var (_, editor) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Editor);

        using var response = await editor.UpdateSettingsAsync(workspaceId, new Dictionary<string, string> { ["Input.Name"] = "Edited" });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("Editors Look", (await factory.WorkspaceAsync(workspaceId))!.Name);
        owner.Dispose();
        editor.Dispose();
    }

    [Theory]
    [InlineData(WorkspaceRole.Viewer)]
    [InlineData(WorkspaceRole.Editor)]
    public async Task MemberWithoutManageRights_IsNotOfferedAnInviteForm_AndInvitingIsForbidden(WorkspaceRole role)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("No Invites");
        var (_, member) = await factory.MemberAsync(owner, workspaceId, role);
        var invitationsBefore = (await factory.InvitationsAsync(workspaceId)).Count;

        var page = await member.GetPageAsync($"/workspaces/{workspaceId}/members");
        Assert.Null(page.QuerySelector("form[action*='handler=Invite']"));
        var email = Intents.NewEmail("friend");
        using var response = await member.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=Invite", new Dictionary<string, string>
        {
            ["Invite.Email"] = email,
            ["Invite.Role"] = nameof(WorkspaceRole.Viewer),
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(invitationsBefore, (await factory.InvitationsAsync(workspaceId)).Count);
        Assert.Empty(factory.Mailbox.To(email));
        owner.Dispose();
        member.Dispose();
    }

    [Theory]
    [InlineData(WorkspaceRole.Viewer)]
    [InlineData(WorkspaceRole.Editor)]
    public async Task MemberWithoutManageRights_CannotSeeTheAuditLog(WorkspaceRole role)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Audited");
        var (_, member) = await factory.MemberAsync(owner, workspaceId, role);

        var dashboard = await member.GetPageAsync($"/workspaces/{workspaceId}");
        Assert.Null(dashboard.QuerySelector($"nav.tabs a[href='/workspaces/{workspaceId}/audit']"));
        using var response = await member.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/audit", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain(AuditActions.WorkspaceCreated, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        owner.Dispose();
        member.Dispose();
    }

    [Theory]
    [InlineData(WorkspaceRole.Viewer)]
    [InlineData(WorkspaceRole.Editor)]
    public async Task MemberWithoutManageRights_CannotChangeRolesOrRemoveMembers(WorkspaceRole role)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Flat Team");
        var (_, member) = await factory.MemberAsync(owner, workspaceId, role);
        var (colleague, _) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);
        var colleagueId = await factory.UserIdAsync(colleague);

        var page = await member.GetPageAsync($"/workspaces/{workspaceId}/members");
        Assert.Null(page.QuerySelector("form[action*='handler=ChangeRole']"));
        Assert.Null(page.QuerySelector("form[action*='handler=Remove']"));
        using var promote = await member.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = colleagueId.ToString(),
            ["role"] = nameof(WorkspaceRole.Admin),
        });
        using var remove = await member.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=Remove", new Dictionary<string, string>
        {
            ["memberId"] = colleagueId.ToString(),
        });

        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, remove.StatusCode);
        Assert.Equal(WorkspaceRole.Viewer, await factory.RoleOfAsync(workspaceId, colleague.Email));
        owner.Dispose();
        member.Dispose();
    }

    [Fact]
    public async Task Admin_CanInviteAnEditorAndSaveSettings()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Delegated");
        var (admin, adminClient) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);
        var email = Intents.NewEmail("editor");

        using var invite = await adminClient.SendInvitationAsync(workspaceId, email, WorkspaceRole.Editor);
        using var settings = await adminClient.UpdateSettingsAsync(workspaceId, new Dictionary<string, string> { ["Input.BaseCurrency"] = "SEK" });

        Assert.Equal(HttpStatusCode.Redirect, invite.StatusCode);
        var invitation = (await factory.InvitationsAsync(workspaceId)).Single(i => i.Email == email);
        Assert.Equal(WorkspaceRole.Editor, invitation.Role);
        Assert.Equal(await factory.UserIdAsync(admin), invitation.InvitedByUserId);
        Assert.Single(factory.Mailbox.To(email));
        Assert.Equal(HttpStatusCode.Redirect, settings.StatusCode);
        Assert.Equal("SEK", (await factory.WorkspaceAsync(workspaceId))!.BaseCurrency);
        owner.Dispose();
        adminClient.Dispose();
    }

    [Fact]
    public async Task Admin_IsNotOfferedTheOwnerRole_AndCannotInviteAnOwner()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("No New Owners");
        var (_, admin) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);
        var email = Intents.NewEmail("would-be-owner");

        var page = await admin.GetPageAsync($"/workspaces/{workspaceId}/members");
        var offered = page.QuerySelectorAll("form[action*='handler=Invite'] select[name='Invite.Role'] option").Select(o => o.GetAttribute("value")).ToList();
        Assert.Equal(["Admin", "Editor", "Viewer"], offered);
        using var response = await admin.SendInvitationAsync(workspaceId, email, WorkspaceRole.Owner);

        var result = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("Only owners can invite another owner.", result.FieldError("Invite.Email"));
        Assert.DoesNotContain(await factory.InvitationsAsync(workspaceId), i => i.Email == email);
        Assert.Empty(factory.Mailbox.To(email));
        owner.Dispose();
        admin.Dispose();
    }

    [Fact]
    public async Task Admin_CannotChangeAnOwnersRole()
    {
        var (ownerUser, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Owner Stays");
        var (_, admin) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);
        var ownerId = await factory.UserIdAsync(ownerUser);

        var page = await admin.GetPageAsync($"/workspaces/{workspaceId}/members");
        Assert.Null(page.QuerySelector($"form input[name='memberId'][value='{ownerId}']"));
        using var response = await admin.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = ownerId.ToString(),
            ["role"] = nameof(WorkspaceRole.Viewer),
        });

        var result = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Only owners can grant or take away the owner role."], result.FormErrors());
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, ownerUser.Email));
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRoleChanged));
        owner.Dispose();
        admin.Dispose();
    }

    [Fact]
    public async Task Admin_CannotMakeAMemberOwner()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Owner Circle");
        var (adminUser, admin) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);
        var (editor, _) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Editor);

        var page = await admin.GetPageAsync($"/workspaces/{workspaceId}/members");
        Assert.DoesNotContain(page.QuerySelectorAll("form[action*='handler=ChangeRole'] option"), o => o.GetAttribute("value") == "Owner");
        using var promoteEditor = await admin.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = (await factory.UserIdAsync(editor)).ToString(),
            ["role"] = nameof(WorkspaceRole.Owner),
        });
        using var promoteSelf = await admin.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = (await factory.UserIdAsync(adminUser)).ToString(),
            ["role"] = nameof(WorkspaceRole.Owner),
        });

        Assert.Equal(HttpStatusCode.BadRequest, promoteEditor.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, promoteSelf.StatusCode);
        Assert.Equal(WorkspaceRole.Editor, await factory.RoleOfAsync(workspaceId, editor.Email));
        Assert.Equal(WorkspaceRole.Admin, await factory.RoleOfAsync(workspaceId, adminUser.Email));
        owner.Dispose();
        admin.Dispose();
    }

    [Fact]
    public async Task Admin_CannotRemoveAnOwner()
    {
        var (ownerUser, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Owner Protected");
        var (_, admin) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);

        using var response = await admin.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=Remove", new Dictionary<string, string>
        {
            ["memberId"] = (await factory.UserIdAsync(ownerUser)).ToString(),
        });

        var result = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Only owners can remove an owner."], result.FormErrors());
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, ownerUser.Email));
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRemoved));
        owner.Dispose();
        admin.Dispose();
    }

    [Fact]
    public async Task Owner_CanInviteAnOwner_DemoteAndPromoteThem_AndRemoveThem()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Co-owned");
        var (coOwner, coOwnerClient) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Owner);
        var coOwnerId = await factory.UserIdAsync(coOwner);
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, coOwner.Email));

        using (var demote = await owner.ChangeRoleAsync(workspaceId, coOwnerId, WorkspaceRole.Admin))
        {
            Assert.Equal(HttpStatusCode.Redirect, demote.StatusCode);
        }

        Assert.Equal(WorkspaceRole.Admin, await factory.RoleOfAsync(workspaceId, coOwner.Email));

        using (var promote = await owner.ChangeRoleAsync(workspaceId, coOwnerId, WorkspaceRole.Owner))
        {
            Assert.Equal(HttpStatusCode.Redirect, promote.StatusCode);
        }

        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, coOwner.Email));

        using (var remove = await owner.RemoveMemberAsync(workspaceId, coOwnerId))
        {
            Assert.Equal(HttpStatusCode.Redirect, remove.StatusCode);
        }

        Assert.Null(await factory.RoleOfAsync(workspaceId, coOwner.Email));
        Assert.Equal(2, (await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRoleChanged)).Count);
        Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRemoved));
        owner.Dispose();
        coOwnerClient.Dispose();
    }

    [Fact]
    public async Task LastOwner_CannotDemoteThemself()
    {
        var (ownerUser, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Needs An Owner");
        await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);
        var ownerId = await factory.UserIdAsync(ownerUser);

        using var response = await owner.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = ownerId.ToString(),
            ["role"] = nameof(WorkspaceRole.Admin),
        });

        var result = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["A workspace needs at least one owner. Make someone else owner first."], result.FormErrors());
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, ownerUser.Email));
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberRoleChanged));
        owner.Dispose();
    }

    [Fact]
    public async Task Owner_CanStepDownWhenAnotherOwnerRemains()
    {
        var (ownerUser, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Handover");
        await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Owner);

        using var response = await owner.PostDirectAsync($"/workspaces/{workspaceId}/members?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = (await factory.UserIdAsync(ownerUser)).ToString(),
            ["role"] = nameof(WorkspaceRole.Admin),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(WorkspaceRole.Admin, await factory.RoleOfAsync(workspaceId, ownerUser.Email));
        owner.Dispose();
    }

    [Fact]
    public async Task LastOwner_CannotLeave()
    {
        var (ownerUser, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Do Not Orphan");
        await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);

        using var response = await owner.LeaveWorkspaceAsync(workspaceId);

        var result = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["You are the last owner. Make someone else owner, or delete the workspace."], result.FormErrors());
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, ownerUser.Email));
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberLeft));
        owner.Dispose();
    }

    [Fact]
    public async Task Owner_CanLeaveWhenAnotherOwnerRemains()
    {
        var (ownerUser, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Passing On");
        var (coOwner, _) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Owner);

        using var response = await owner.LeaveWorkspaceAsync(workspaceId);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await factory.RoleOfAsync(workspaceId, ownerUser.Email));
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, coOwner.Email));
        owner.Dispose();
    }

    [Theory]
    [InlineData(WorkspaceRole.Admin)]
    [InlineData(WorkspaceRole.Editor)]
    [InlineData(WorkspaceRole.Viewer)]
    public async Task OnlyOwners_CanDeleteAWorkspace(WorkspaceRole role)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Stays Put");
        var (_, member) = await factory.MemberAsync(owner, workspaceId, role);

        var page = await member.GetPageAsync($"/workspaces/{workspaceId}/settings");
        Assert.Null(page.QuerySelector("form[action*='handler=Delete']"));
        using var response = await member.PostDirectAsync($"/workspaces/{workspaceId}/settings?handler=Delete", new Dictionary<string, string>
        {
            ["DeleteConfirmation"] = "Stays Put",
        });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.NotNull(await factory.WorkspaceAsync(workspaceId));
        Assert.Equal(2, await factory.MemberCountAsync(workspaceId));
        owner.Dispose();
        member.Dispose();
    }

    [Fact]
    public async Task PersonalWorkspace_CannotBeDeleted()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var personal = await factory.PersonalWorkspaceIdAsync(user);
        var name = (await factory.WorkspaceAsync(personal))!.Name;

        var page = await client.GetPageAsync($"/workspaces/{personal}/settings");
        Assert.Null(page.QuerySelector("form[action*='handler=Delete']"));
        using var response = await client.PostDirectAsync($"/workspaces/{personal}/settings?handler=Delete", new Dictionary<string, string>
        {
            ["DeleteConfirmation"] = name,
        });

        var result = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["Your personal workspace holds your own portfolio and cannot be deleted."], result.FormErrors());
        Assert.NotNull(await factory.WorkspaceAsync(personal));
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(personal, user.Email));
        client.Dispose();
    }

    [Fact]
    public async Task PersonalWorkspace_CannotBeLeft_EvenWithAnotherOwner()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var personal = await factory.PersonalWorkspaceIdAsync(user);
        await factory.MemberAsync(client, personal, WorkspaceRole.Owner);

        var page = await client.GetPageAsync($"/workspaces/{personal}/settings");
        Assert.Null(page.QuerySelector("form[action*='handler=Leave']"));
        using var response = await client.PostDirectAsync($"/workspaces/{personal}/settings?handler=Leave");

        var result = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(["You cannot leave your personal workspace."], result.FormErrors());
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(personal, user.Email));
        Assert.Empty(await factory.AuditEventsAsync(personal, AuditActions.MemberLeft));
        client.Dispose();
    }

    [Fact]
    public async Task SomeoneAPersonalWorkspaceWasSharedWith_CanLeaveIt()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var personal = await factory.PersonalWorkspaceIdAsync(user);
        var (accountant, accountantClient) = await factory.MemberAsync(client, personal, WorkspaceRole.Viewer);

        var page = await accountantClient.GetPageAsync($"/workspaces/{personal}/settings");
        Assert.NotNull(page.QuerySelector("form[action*='handler=Leave']"));
        using var response = await accountantClient.SubmitAsync($"/workspaces/{personal}/settings", formSelector: "form[action*='handler=Leave']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null(await factory.RoleOfAsync(personal, accountant.Email));
        Assert.Single(await factory.AuditEventsAsync(personal, AuditActions.MemberLeft));
        client.Dispose();
        accountantClient.Dispose();
    }
}
