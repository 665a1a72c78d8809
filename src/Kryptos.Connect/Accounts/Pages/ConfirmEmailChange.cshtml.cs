using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>
/// The link of the confirmation mail to the new address. Opening it shows a button: mail scanners
/// that follow links must not change anyone's address. Confirming changes the address and the user
/// name, marks it verified, and signs out everywhere (sessions, grants, refresh tokens).
/// </summary>
public sealed class ConfirmEmailChangeModel(
    UserManager<User> users,
    SignInManager<User> signIn,
    DomainEvents events,
    IEmailSender email) : PageModel
{
    public const string InvalidLinkMessage = "This link is invalid or has expired. Ask for a new one in your account settings.";

    [BindProperty(SupportsGet = true)]
    public string? UserId { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Email { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Code { get; set; }

    public bool Changed { get; private set; }

    public IActionResult OnGet()
    {
        if (string.IsNullOrEmpty(UserId) || string.IsNullOrEmpty(Email) || string.IsNullOrEmpty(Code))
        {
            ModelState.AddModelError(string.Empty, InvalidLinkMessage);
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        var token = AccountEmails.Decode(Code);
        var user = Guid.TryParse(UserId, out _) ? await users.FindByIdAsync(UserId!) : null;
        if (user is null || token is null || string.IsNullOrEmpty(Email))
        {
            ModelState.AddModelError(string.Empty, InvalidLinkMessage);
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var previous = user.Email!;
        var result = await users.ChangeEmailAsync(user, Email, token);
        if (result.Succeeded)
        {
            result = await users.SetUserNameAsync(user, Email);
        }

        if (!result.Succeeded)
        {
            // An invalid or used token, or an address another account took meanwhile.
            var taken = result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName");
            ModelState.AddModelError(string.Empty, taken ? "Another account uses this address now. Choose another one." : InvalidLinkMessage);
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        // The account now answers to a new mailbox: nothing granted under the old one keeps working.
        await events.RaiseAsync(new AccountSignedOutEverywhere(user.Id, SignOutReason.EmailChanged), HttpContext.RequestAborted);
        await signIn.SignOutAsync();
        await email.SendAsync(EmailTemplates.EmailChanged(previous, user.DisplayName, user.Email!), HttpContext.RequestAborted);
        Changed = true;
        return Page();
    }
}
