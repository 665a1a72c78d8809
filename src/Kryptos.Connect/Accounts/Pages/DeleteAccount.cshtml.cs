using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>Deleting the account, confirmed with the password, after a plain statement of what goes with it.</summary>
[Authorize]
public sealed class DeleteAccountModel(
    UserManager<User> users,
    SignInManager<User> signIn,
    PasswordConfirmation passwords,
    AccountDeletion deletion) : PageModel
{
    public DeletionPlan Plan { get; private set; } = new([], [], []);

    [BindProperty]
    public string? Password { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Plan = await deletion.PlanAsync(user.Id, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        Plan = await deletion.PlanAsync(user.Id, HttpContext.RequestAborted);
        if (!Plan.CanDelete)
        {
            ModelState.AddModelError(string.Empty, "Hand over the workspaces listed below first.");
            return Page().WithStatus(StatusCodes.Status409Conflict);
        }

        if (await passwords.CheckAsync(user, Password) is { Succeeded: false } check)
        {
            ModelState.AddModelError(nameof(Password), check.Error!);
            return Page().WithStatus(check.StatusCode);
        }

        if (!await deletion.DeleteAsync(user, HttpContext.RequestAborted))
        {
            // A member joined a workspace between the plan and now.
            Plan = await deletion.PlanAsync(user.Id, HttpContext.RequestAborted);
            ModelState.AddModelError(string.Empty, "Hand over the workspaces listed below first.");
            return Page().WithStatus(StatusCodes.Status409Conflict);
        }

        await signIn.SignOutAsync();
        TempData["Status"] = "Your account was deleted.";
        return Redirect("/");
    }
}
