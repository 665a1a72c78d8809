using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts.Pages;

[EnableRateLimiting(RateLimiting.AccountForms)]
public sealed class ForgotPasswordModel(UserManager<User> users, AccountEmails emails) : PageModel
{
    [BindProperty]
    public ForgotPasswordInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var user = await users.FindByEmailAsync(Input.Email.Trim());
        if (user is not null)
        {
            await emails.SendPasswordResetAsync(user, HttpContext.RequestAborted);
        }

        // The same answer whether or not the account exists.
        return RedirectToPage("CheckEmail", new { reason = "reset" });
    }
}

public sealed class ForgotPasswordInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";
}
