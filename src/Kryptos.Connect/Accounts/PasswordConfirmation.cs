using System.Globalization;
using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Accounts;

/// <summary>The outcome of re-entering the password on a settings page.</summary>
public sealed record PasswordCheck(bool Succeeded, string? Error, int StatusCode)
{
    public static readonly PasswordCheck Ok = new(true, null, StatusCodes.Status200OK);
}

/// <summary>
/// The password confirmations of signed-in pages (change password or address, two-factor settings,
/// delete the account) are password guesses like the login form's: they go through the same throttle
/// and count towards the same lockout, so a stolen session cannot be used to guess the password.
/// </summary>
public sealed class PasswordConfirmation(SignInManager<User> signIn, LoginThrottle throttle, IHttpContextAccessor http, TimeProvider time)
{
    public const string WrongPassword = "The password is not correct.";

    public async Task<PasswordCheck> CheckAsync(User user, string? password)
    {
        ArgumentNullException.ThrowIfNull(user);
        var normalized = user.NormalizedEmail ?? "";
        var address = http.HttpContext?.Connection.RemoteIpAddress;
        if (await throttle.CheckAsync(normalized, address) is { } wait)
        {
            SetRetryAfter(wait);
            return new(false, $"Too many wrong passwords. Please wait {Pages.LoginModel.Minutes((int)Math.Ceiling(wait.TotalSeconds))} and try again.", StatusCodes.Status429TooManyRequests);
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password ?? "", lockoutOnFailure: true);
        if (result.Succeeded)
        {
            await throttle.RecordSuccessAsync(normalized, address);
            return PasswordCheck.Ok;
        }

        await throttle.RecordFailureAsync(normalized, address);
        if (result.IsLockedOut)
        {
            var end = await signIn.UserManager.GetLockoutEndDateAsync(user);
            var seconds = end is { } until ? Math.Max(1, (int)Math.Ceiling((until - time.GetUtcNow()).TotalSeconds)) : 60;
            SetRetryAfter(TimeSpan.FromSeconds(seconds));
            return new(false, $"Too many wrong passwords: the account is locked for {Pages.LoginModel.Minutes(seconds)}. You stay logged in here.", StatusCodes.Status429TooManyRequests);
        }

        return new(false, WrongPassword, StatusCodes.Status400BadRequest);
    }

    private void SetRetryAfter(TimeSpan wait)
    {
        if (http.HttpContext is { } context)
        {
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
    }
}
