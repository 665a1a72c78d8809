using Kryptos.Connect.Core;
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
        // A malformed id (not a Guid) makes FindByIdAsync throw; it is just another invalid link.
        var user = Guid.TryParse(userId, out _) ? await users.FindByIdAsync(userId!) : null;
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
