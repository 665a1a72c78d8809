using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>
/// Changing the account's address: confirmed with the password, then by a link sent to the new
/// address. Nothing changes until the new mailbox answers (<see cref="ConfirmEmailChangeModel"/>).
/// </summary>
[Authorize]
public sealed class ChangeEmailModel(
    UserManager<User> users,
    PasswordConfirmation passwords,
    IEmailSender email,
    PublicUrls urls) : PageModel
{
    public User CurrentUser { get; private set; } = null!;

    [BindProperty]
    public ChangeEmailInput Input { get; set; } = new();

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        CurrentUser = user;
        return Page();
    }

    [EnableRateLimiting(AccountRateLimits.PasswordReset)]
    public async Task<IActionResult> OnPostAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        CurrentUser = user;
        if (!ModelState.IsValid)
        {
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var address = Input.NewEmail.Trim();
        if (string.Equals(users.NormalizeEmail(address), user.NormalizedEmail, StringComparison.Ordinal))
        {
            ModelState.AddModelError("Input.NewEmail", "That is already your address.");
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        if (await passwords.CheckAsync(user, Input.Password) is { Succeeded: false } check)
        {
            ModelState.AddModelError("Input.Password", check.Error!);
            return Page().WithStatus(check.StatusCode);
        }

        // The same answer whether or not the address is taken: its owner gets a notice instead of a link.
        if (await users.FindByEmailAsync(address) is { } owner)
        {
            await email.SendAsync(EmailTemplates.AccountAlreadyExists(owner.Email!, urls.Absolute("/account/login"), urls.Absolute("/account/forgot-password")), HttpContext.RequestAborted);
        }
        else
        {
            var code = AccountEmails.Encode(await users.GenerateChangeEmailTokenAsync(user, address));
            var link = urls.Absolute($"/account/confirm-email-change?userId={user.Id}&email={Uri.EscapeDataString(address)}&code={code}");
            await email.SendAsync(EmailTemplates.ConfirmEmailChange(address, user.DisplayName, link), HttpContext.RequestAborted);
        }

        await email.SendAsync(EmailTemplates.EmailChangeRequested(user.Email!, user.DisplayName, address), HttpContext.RequestAborted);
        TempData["Status"] = $"We sent a link to {address}. Your address changes when you follow it, within 1 hour.";
        return Redirect("/account");
    }
}

public sealed class ChangeEmailInput
{
    [Required(ErrorMessage = "Enter the new email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address, like name@example.com.")]
    [StringLength(256, ErrorMessage = "The email address is too long.")]
    public string NewEmail { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(256)]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
}
