using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>The second step of logging in, for accounts with an authenticator app.</summary>
[EnableRateLimiting(AccountRateLimits.Login)]
public sealed class LoginTwoFactorModel(SignInManager<User> signIn) : PageModel
{
    public const string FailureMessage = "That code is not valid. Codes change every 30 seconds; check your device's clock. After several failed attempts the account is locked for a while.";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty(SupportsGet = true)]
    public bool RememberMe { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? Redirect("/account/login") : Page();

    public async Task<IActionResult> OnPostCodeAsync(string? code)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return Redirect("/account/login");
        }

        var normalized = (code ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var result = await signIn.TwoFactorAuthenticatorSignInAsync(normalized, RememberMe, rememberClient: false);
        return Finish(result);
    }

    public async Task<IActionResult> OnPostRecoveryAsync(string? recoveryCode)
    {
        if (await signIn.GetTwoFactorAuthenticationUserAsync() is null)
        {
            return Redirect("/account/login");
        }

        var result = await signIn.TwoFactorRecoveryCodeSignInAsync((recoveryCode ?? "").Trim());
        return Finish(result);
    }

    private IActionResult Finish(Microsoft.AspNetCore.Identity.SignInResult result)
    {
        if (result.Succeeded)
        {
            return LocalRedirect(!string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/workspaces");
        }

        ModelState.AddModelError(string.Empty, FailureMessage);
        return Page().WithStatus(StatusCodes.Status400BadRequest);
    }
}
