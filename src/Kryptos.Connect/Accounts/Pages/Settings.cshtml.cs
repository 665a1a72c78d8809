using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace Kryptos.Connect.Accounts.Pages;

[Authorize]
public sealed class SettingsModel(
    UserManager<User> users,
    SignInManager<User> signIn,
    KryptosDbContext db,
    DomainEvents events,
    PasswordConfirmation passwords,
    AccountEmails emails,
    TimeProvider time) : PageModel
{
    public static readonly IReadOnlyDictionary<string, string> SupportedLanguages = new Dictionary<string, string>
    {
        ["en"] = "English",
        ["de"] = "Deutsch",
        ["fr"] = "Français",
        ["es"] = "Español",
        ["it"] = "Italiano",
        ["nl"] = "Nederlands",
        ["pt"] = "Português",
        ["fi"] = "Suomi",
    };

    public User CurrentUser { get; private set; } = null!;

    [BindProperty]
    public ProfileInput Profile { get; set; } = new();

    [BindProperty]
    public ChangePasswordInput Password { get; set; } = new();

    public IEnumerable<SelectListItem> Languages =>
        SupportedLanguages.Select(l => new SelectListItem(l.Value, l.Key));

    public async Task<IActionResult> OnGetAsync()
    {
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }

        Profile = new ProfileInput { DisplayName = CurrentUser.DisplayName, Language = CurrentUser.Language };
        return Page();
    }

    public async Task<IActionResult> OnPostProfileAsync()
    {
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }

        ClearOtherForms(nameof(Profile));
        if (!SupportedLanguages.ContainsKey(Profile.Language))
        {
            ModelState.AddModelError("Profile.Language", "Choose one of the listed languages.");
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        CurrentUser.DisplayName = Profile.DisplayName.Trim();
        CurrentUser.Language = Profile.Language;
        CurrentUser.UpdatedAt = time.GetUtcNow();
        await users.UpdateAsync(CurrentUser);
        TempData["Status"] = "Profile saved.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostPasswordAsync()
    {
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }

        ClearOtherForms(nameof(Password));
        Profile = new ProfileInput { DisplayName = CurrentUser.DisplayName, Language = CurrentUser.Language };
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (await passwords.CheckAsync(CurrentUser, Password.CurrentPassword) is { Succeeded: false } check)
        {
            ModelState.AddModelError("Password.CurrentPassword", check.Error!);
            return Page().WithStatus(check.StatusCode);
        }

        var result = await users.ChangePasswordAsync(CurrentUser, Password.CurrentPassword, Password.NewPassword);
        if (!result.Succeeded)
        {
            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(
                    error.Code == "PasswordMismatch" ? "Password.CurrentPassword" : "Password.NewPassword",
                    error.Code == "PasswordMismatch" ? "The current password is not correct." : error.Description);
            }

            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        // ChangePasswordAsync renewed the security stamp. End every other session, then sign this
        // browser in again (renewing its session with the new stamp) so the person who changed it
        // stays logged in.
        await db.UserSessions.EndAllOthersAsync(CurrentUser.Id, HttpContext);
        await signIn.SignInAsync(CurrentUser, isPersistent: false);
        await emails.SendPasswordChangedAsync(CurrentUser, HttpContext.RequestAborted);
        TempData["Status"] = "Password changed. Every other session was logged out.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostResendVerificationAsync()
    {
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }

        if (!CurrentUser.EmailConfirmed)
        {
            await emails.SendConfirmationAsync(CurrentUser, HttpContext.RequestAborted);
        }

        TempData["Status"] = "Verification email sent. Follow the link in it within 24 hours.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostSignOutEverywhereAsync()
    {
        if (await LoadAsync() is { } missing)
        {
            return missing;
        }

        await users.UpdateSecurityStampAsync(CurrentUser);
        await events.RaiseAsync(new AccountSignedOutEverywhere(CurrentUser.Id, SignOutReason.SignOutEverywhere), HttpContext.RequestAborted);
        await signIn.SignOutAsync();
        TempData["Status"] = "You were logged out on every device.";
        return Redirect("/account/login");
    }

    private async Task<IActionResult?> LoadAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        CurrentUser = user;
        return null;
    }

    /// <summary>Several forms share the page; only the submitted one is validated.</summary>
    private void ClearOtherForms(string submitted)
    {
        foreach (var key in ModelState.Keys.Where(k => !k.StartsWith(submitted + ".", StringComparison.Ordinal)).ToList())
        {
            ModelState.Remove(key);
        }
    }
}

public sealed class ProfileInput
{
    [Required(ErrorMessage = "Enter your name.")]
    [StringLength(User.DisplayNameMaxLength, ErrorMessage = "Your name can be at most {1} characters.")]
    public string DisplayName { get; set; } = "";

    [Required]
    public string Language { get; set; } = "en";
}

public sealed class ChangePasswordInput
{
    [Required(ErrorMessage = "Enter your current password.")]
    [StringLength(256)]
    [DataType(DataType.Password)]
    public string CurrentPassword { get; set; } = "";

    [Required(ErrorMessage = "Choose a new password.")]
    [StringLength(256, MinimumLength = 8, ErrorMessage = "Use between {2} and {1} characters.")]
    [DataType(DataType.Password)]
    public string NewPassword { get; set; } = "";
}
