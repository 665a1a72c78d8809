using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Events;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Accounts.Pages;

public sealed class ResetPasswordModel(UserManager<User> users, DomainEvents events, AccountEmails emails) : PageModel
{
    public const string InvalidLinkMessage = "This reset link is invalid or has expired. Ask for a new one.";

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    [BindProperty]
    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(256, MinimumLength = 8, ErrorMessage = "Use between {2} and {1} characters.")]
    [DataType(DataType.Password)]
    public string NewPassword { get; set; } = "";

    public IActionResult OnGet()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Code))
        {
            ModelState.AddModelError(string.Empty, InvalidLinkMessage);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var token = AccountEmails.Decode(Code);
        // A malformed id (not a Guid) makes FindByIdAsync throw; it is just another invalid link.
        var user = Guid.TryParse(UserId, out _) ? await users.FindByIdAsync(UserId!) : null;
        if (user is null || token is null)
        {
            ModelState.AddModelError(string.Empty, InvalidLinkMessage);
            return Page();
        }

        var result = await users.ResetPasswordAsync(user, token, NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(error.Code == "InvalidToken" ? string.Empty : nameof(NewPassword),
                    error.Code == "InvalidToken" ? InvalidLinkMessage : error.Description);
            }

            return Page();
        }

        // The reset changed the security stamp (which also voids the link). The owner of the mailbox
        // just proved who they are: every session, and every app someone connected with the old
        // password (even before the address was verified), loses its access; a lockout is lifted.
        await events.RaiseAsync(new AccountSignedOutEverywhere(user.Id, SignOutReason.PasswordReset), HttpContext.RequestAborted);
        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        await emails.SendPasswordChangedAsync(user, HttpContext.RequestAborted);
        TempData["Status"] = "Your password was changed. Log in with the new one.";
        return Redirect("/account/login");
    }
}
