using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Members;

public sealed class MembersModel(PublicUrls urls, MemberService memberService, InvitationService invitations) : WorkspacePageModel
{
    public IReadOnlyList<MemberSummary> Members { get; private set; } = [];

    public IReadOnlyList<WorkspaceInvitation> Pending { get; private set; } = [];

    /// <summary>Roles the caller may hand out: admins cannot create owners.</summary>
    public IEnumerable<WorkspaceRole> AssignableRoles =>
        Enum.GetValues<WorkspaceRole>().Where(r => r != WorkspaceRole.Owner || Can(WorkspaceOperation.ManageOwners));

    [BindProperty]
    public InviteInput Invite { get; set; } = new();

    public Task OnGetAsync() => LoadListsAsync();

    public async Task<IActionResult> OnPostInviteAsync()
    {
        if (Require(WorkspaceOperation.ManageMembers) is { } denied)
        {
            return denied;
        }

        if (!ModelState.IsValid)
        {
            await LoadListsAsync();
            return Page();
        }

        var inviter = User.Identity?.Name ?? "A Kryptos user";
        var result = await invitations.InviteAsync(Membership, Invite.Email, Invite.Role, inviter,
            token => urls.Absolute($"/invitations/{token}"), HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            await LoadListsAsync();
            return Refused(result, "Invite.Email");
        }

        TempData["Status"] = $"Invitation sent to {Invite.Email.Trim()}.";
        return RedirectToPage();
    }

    public Task<IActionResult> OnPostRevokeAsync(Guid invitationId) =>
        ApplyAsync(() => invitations.RevokeInvitationAsync(Membership, invitationId, HttpContext.RequestAborted), "Invitation revoked.");

    // Nullable: a missing or unknown role must not bind to default(WorkspaceRole), which is Owner.
    public Task<IActionResult> OnPostChangeRoleAsync(Guid memberId, WorkspaceRole? role) =>
        ApplyAsync(() => role is { } chosen
            ? memberService.ChangeRoleAsync(Membership, memberId, chosen, HttpContext.RequestAborted)
            : Task.FromResult(WorkspaceResult.Fail("Choose one of the listed roles.")), "Role changed.");

    public async Task<IActionResult> OnPostRemoveAsync(Guid memberId)
    {
        var leaving = memberId == Membership.UserId;
        var response = await ApplyAsync(() => memberService.RemoveMemberAsync(Membership, memberId, HttpContext.RequestAborted), leaving ? "You left the workspace." : "Member removed.");
        return leaving && response is RedirectToPageResult ? Redirect("/workspaces") : response;
    }

    private async Task<IActionResult> ApplyAsync(Func<Task<WorkspaceResult>> change, string success)
    {
        if (Require(WorkspaceOperation.ManageMembers) is { } denied)
        {
            return denied;
        }

        var result = await change();
        if (!result.Succeeded)
        {
            ModelState.Clear();
            await LoadListsAsync();
            return Refused(result);
        }

        TempData["Status"] = success;
        return RedirectToPage();
    }

    private async Task LoadListsAsync()
    {
        Members = await Memberships.ListMembersAsync(Workspace.Id, HttpContext.RequestAborted);
        if (Can(WorkspaceOperation.ManageMembers))
        {
            Pending = await invitations.ListPendingInvitationsAsync(Workspace.Id, HttpContext.RequestAborted);
        }
    }
}

public sealed class InviteInput
{
    [Required(ErrorMessage = "Enter the email address to invite.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    [EnumDataType(typeof(WorkspaceRole), ErrorMessage = "Choose a role.")]
    public WorkspaceRole Role { get; set; } = WorkspaceRole.Editor;
}
