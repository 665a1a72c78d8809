using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Portal.Members;

/// <summary>The target of an invitation link. Anyone holding the link sees what it is for; accepting needs the invited account.</summary>
public sealed class AcceptModel(InvitationService invitations, UserManager<User> users, SignInManager<User> signIn, TimeProvider time) : PageModel
{
    public WorkspaceInvitation? Invitation { get; private set; }

    /// <summary>Signed in with an address nobody verified yet: accepting must wait.</summary>
    public bool NeedsVerification { get; private set; }

    public async Task<IActionResult> OnGetAsync(string token)
    {
        NeedsVerification = await users.GetUserAsync(User) is { EmailConfirmed: false };
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

        if (!user.EmailConfirmed)
        {
            return Redirect($"/account/verify-email?purpose=invitation&returnUrl={Uri.EscapeDataString(Request.Path)}");
        }

        var result = await invitations.AcceptInvitationAsync(token, user, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, result.Error!);
            Invitation = await FindPendingAsync(token);
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var invitation = await invitations.FindInvitationAsync(token, HttpContext.RequestAborted);
        await signIn.RefreshSignInAsync(user);
        TempData["Status"] = $"Welcome to {invitation!.Workspace.Name}.";
        return Redirect($"/workspaces/{invitation.WorkspaceId}");
    }

    private async Task<WorkspaceInvitation?> FindPendingAsync(string token)
    {
        var invitation = await invitations.FindInvitationAsync(token, HttpContext.RequestAborted);
        return invitation is not null && invitation.IsPending(time.GetUtcNow()) ? invitation : null;
    }

}
