using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Accounts.Pages;

public sealed class ConfirmEmailModel(UserManager<User> users, SignInManager<User> signIn) : PageModel
{
    public bool Confirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? userId, string? code)
    {
        var token = AccountEmails.Decode(code);
        var user = userId is null ? null : await users.FindByIdAsync(userId);
        if (user is null || token is null)
        {
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var result = await users.ConfirmEmailAsync(user, token);
        if (!result.Succeeded)
        {
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        Confirmed = true;
        if (signIn.IsSignedIn(User) && users.GetUserId(User) == user.Id.ToString())
        {
            // Refresh the session so that the verified state shows at once.
            await signIn.RefreshSignInAsync(user);
        }

        return Page();
    }

}
