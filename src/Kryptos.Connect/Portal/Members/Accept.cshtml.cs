using Kryptos.Connect.Accounts;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Portal.Members;

/// <summary>The target of an invitation link. Anyone holding the link sees what it is for; accepting needs the invited account.</summary>
public sealed class AcceptModel(WorkspaceService workspaces, UserManager<User> users, SignInManager<User> signIn, TimeProvider time) : PageModel
{
    public WorkspaceInvitation? Invitation { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        Invitation = await FindPendingAsync(token);
        return Invitation is null ? Page().WithStatus(StatusCodes.Status404NotFound) : Page();
    }

    public async Task<IActionResult> OnPostAsync(string token)
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await workspaces.AcceptInvitationAsync(token, user, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, result.Error!);
            Invitation = await FindPendingAsync(token);
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var invitation = await workspaces.FindInvitationAsync(token, HttpContext.RequestAborted);
        await signIn.RefreshSignInAsync(user);
        TempData["Status"] = $"Welcome to {invitation!.Workspace.Name}.";
        return Redirect($"/workspaces/{invitation.WorkspaceId}");
    }

    private async Task<WorkspaceInvitation?> FindPendingAsync(string token)
    {
        var invitation = await workspaces.FindInvitationAsync(token, HttpContext.RequestAborted);
        return invitation is not null && invitation.IsPending(time.GetUtcNow()) ? invitation : null;
    }

}
