using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts.Pages;

[EnableRateLimiting(AccountRateLimits.SignUp)]
public sealed class SignUpModel(
    UserManager<User> users,
    IPasswordHasher<User> hasher,
    WorkspaceLifecycle workspaces,
    AccountEmails emails,
    TimeProvider time) : PageModel
{
    [BindProperty]
    public SignUpInput Input { get; set; } = new();

    /// <summary>Where to go after the first login, such as an invitation link.</summary>
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public IActionResult OnGet() => User.Identity?.IsAuthenticated == true ? Redirect("/workspaces") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var email = Input.Email.Trim();
        var now = time.GetUtcNow();
        var user = new User { UserName = email, Email = email, DisplayName = Input.DisplayName.Trim(), CreatedAt = now, UpdatedAt = now };

        // Judge the password before looking the email up, so that the answer cannot tell
        // whether the address already has an account.
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, Input.Password);
            foreach (var error in check.Errors)
            {
                ModelState.AddModelError("Input.Password", error.Description);
            }
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var existing = await users.FindByEmailAsync(email);
        if (existing is not null)
        {
            // Spend the same hashing time as a real sign-up, and tell the owner by mail instead.
            hasher.HashPassword(user, Input.Password);
            await emails.SendAccountExistsAsync(existing, HttpContext.RequestAborted);
            return CheckEmail();
        }

        var result = await users.CreateAsync(user, Input.Password);
        if (!result.Succeeded)
        {
            // Only a concurrent sign-up with the same address gets here; answer as above.
            if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            {
                return CheckEmail();
            }

            foreach (var error in result.Errors)
            {
                ModelState.AddModelError(string.Empty, error.Description);
            }

            return Page();
        }

        await workspaces.CreatePersonalAsync(user, HttpContext.RequestAborted);
        await emails.SendConfirmationAsync(user, HttpContext.RequestAborted);
        return CheckEmail();
    }

    private RedirectToPageResult CheckEmail() => RedirectToPage("CheckEmail", new
    {
        reason = "signup",
        returnUrl = Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : null,
    });
}

public sealed class SignUpInput
{
    [Required(ErrorMessage = "Enter your name.")]
    [StringLength(User.DisplayNameMaxLength, ErrorMessage = "Your name can be at most {1} characters.")]
    public string DisplayName { get; set; } = "";

    [Required(ErrorMessage = "Enter your email address.")]
    [EmailAddress(ErrorMessage = "Enter a valid email address, like name@example.com.")]
    [StringLength(256, ErrorMessage = "The email address is too long.")]
    public string Email { get; set; } = "";

    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(256, MinimumLength = 8, ErrorMessage = "Use between {2} and {1} characters.")]
    [DataType(DataType.Password)]
    public string Password { get; set; } = "";
}
