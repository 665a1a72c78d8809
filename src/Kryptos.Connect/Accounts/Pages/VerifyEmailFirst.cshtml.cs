using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>
/// Where an account with an unverified address is sent when it tries something that needs a proven
/// address: connecting an app, setting up two-factor authentication, accepting an invitation. Anyone
/// can sign up with someone else's address; until the mailbox answers, the account cannot hand that
/// person's data to an app or lock them out of it.
/// </summary>
[Authorize]
public sealed class VerifyEmailFirstModel(UserManager<User> users, AccountEmails emails) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>What the person was trying to do, in their words: "connect an app" …</summary>
    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    public string Email { get; private set; } = "";

    public bool Sent { get; private set; }

    public string Continue => !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/workspaces";

    public string Doing => Purpose switch
    {
        "app" => "connect an app to your Kryptos account",
        "two-factor" => "set up two-factor authentication",
        "invitation" => "join a workspace",
        _ => "continue",
    };

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        if (user.EmailConfirmed)
        {
            return LocalRedirect(Continue);
        }

        Email = user.Email!;
        Response.Headers.CacheControl = "no-store";
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

        if (user.EmailConfirmed)
        {
            return LocalRedirect(Continue);
        }

        await emails.SendConfirmationAsync(user, HttpContext.RequestAborted);
        Email = user.Email!;
        Sent = true;
        return Page();
    }
}
