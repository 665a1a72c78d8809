using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts.Pages;

[EnableRateLimiting(AccountRateLimits.PasswordReset)]
public sealed class ForgotPasswordModel(EmailDelivery mail, PublicUrls urls) : PageModel
{
    [BindProperty]
    public ForgotPasswordInput Input { get; set; } = new();

    public void OnGet()
    {
    }

    public IActionResult OnPost()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        // The same answer, in the same time, whether or not the account exists: the request only
        // queues the work; looking the address up and generating the link happen on the mail queue.
        var address = Input.Email.Trim();
        var origin = urls.Origin();
        mail.Enqueue((services, _) => services.GetRequiredService<AccountEmails>().ComposePasswordResetAsync(address, origin));
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
