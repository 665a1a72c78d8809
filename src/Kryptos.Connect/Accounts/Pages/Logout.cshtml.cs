using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>Logging out is a POST (with antiforgery), so a link on another site cannot log anyone out.</summary>
public sealed class LogoutModel(SignInManager<User> signIn) : PageModel
{
    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        // Removes the server-side session too (DatabaseTicketStore), so the old cookie is dead.
        await signIn.SignOutAsync();
        TempData["Status"] = "You are logged out.";
        return Redirect("/");
    }
}
