using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts.Pages;

[EnableRateLimiting(AccountRateLimits.Login)]
public sealed class LoginModel(
    SignInManager<User> signIn,
    UserManager<User> users,
    IPasswordHasher<User> hasher,
    LoginThrottle throttle) : PageModel
{
    /// <summary>One message for every failure, so the form never tells whether an account exists or is locked.</summary>
    public const string FailureMessage = "Email or password is incorrect. After several failed attempts an account is locked for a while; you can reset your password.";

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>Set by the authorization endpoint for prompt=login and max_age: log in again even with a session.</summary>
    [BindProperty(SupportsGet = true)]
    public bool Reauth { get; set; }

    public IActionResult OnGet() =>
        User.Identity?.IsAuthenticated == true && !Reauth ? LocalRedirect(SafeReturnUrl()) : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email.Trim();
        var normalized = users.NormalizeEmail(email);
        var address = HttpContext.Connection.RemoteIpAddress;
        if (await throttle.CheckAsync(normalized, address, HttpContext.RequestAborted) is { } wait)
        {
            // Refused before the password is looked at: a correct guess past the limit teaches nothing.
            var seconds = (int)Math.Ceiling(wait.TotalSeconds);
            Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            ModelState.AddModelError(string.Empty, $"Too many failed login attempts. Please wait {Minutes(seconds)} and try again, or reset your password.");
            return Page().WithStatus(StatusCodes.Status429TooManyRequests);
        }

        var user = await users.FindByEmailAsync(email);
        if (user is null)
        {
            // Cost the same as checking a real password, so timing does not reveal the account.
            s_dummyHash ??= hasher.HashPassword(new User(), "not-a-real-password-" + Guid.NewGuid());
            hasher.VerifyHashedPassword(new User(), s_dummyHash, Input.Password);
            // Not the request's token: a guesser who hangs up after the answer is counted all the same.
            await throttle.RecordFailureAsync(normalized, address, CancellationToken.None);
            ModelState.AddModelError(string.Empty, FailureMessage);
            return Page();
        }

        // Over an existing session (re-authentication for prompt=login or max_age, or another
        // account) the cookie handler keeps the session key and stores the new ticket under it
        // (DatabaseTicketStore.RenewAsync also moves the session to the new user). The __Host-
        // cookie prefix keeps other origins from planting a key to fixate.
        var result = await signIn.PasswordSignInAsync(user, Input.Password, Input.RememberMe, lockoutOnFailure: true);
        if (result.Succeeded || result.RequiresTwoFactor)
        {
            await throttle.RecordSuccessAsync(normalized, address, CancellationToken.None);
        }
        else
        {
            await throttle.RecordFailureAsync(normalized, address, CancellationToken.None);
        }

        if (result.Succeeded)
        {
            return LocalRedirect(SafeReturnUrl());
        }

        if (result.RequiresTwoFactor)
        {
            // The password was right; Identity keeps who it was in a short-lived two-factor cookie.
            return RedirectToPage("LoginTwoFactor", new { returnUrl = SafeReturnUrl(), rememberMe = Input.RememberMe });
        }

        ModelState.AddModelError(string.Empty, FailureMessage);
        return Page();
    }

    internal static string Minutes(int seconds) =>
        seconds <= 90 ? $"{seconds} seconds" : $"{(int)Math.Ceiling(seconds / 60.0)} minutes";

    private string SafeReturnUrl() =>
        !string.IsNullOrEmpty(ReturnUrl) && Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/workspaces";

    private static string? s_dummyHash;
}

public sealed class LoginInput
{
    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address.")]
    [StringLength(256)]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(256)]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";

    public bool RememberMe { get; set; }
}
