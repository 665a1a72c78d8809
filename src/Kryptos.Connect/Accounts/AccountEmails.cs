using System.Text;
using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.Connect.Accounts;

/// <summary>Builds the account mails with their one-time links and sends them.</summary>
public sealed class AccountEmails(UserManager<User> users, IEmailSender email, PublicUrls urls)
{
    public async Task SendConfirmationAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var code = Encode(await users.GenerateEmailConfirmationTokenAsync(user));
        var link = urls.Absolute($"/account/confirm-email?userId={user.Id}&code={code}");
        await email.SendAsync(EmailTemplates.ConfirmEmail(user.Email!, user.DisplayName, link), cancellationToken);
    }

    /// <summary>
    /// The reset mail for <paramref name="address"/>, or null when no account has it. Runs on the mail
    /// queue (see ForgotPassword), so the lookup and token generation never show in the request's time.
    /// </summary>
    public async Task<EmailMessage?> ComposePasswordResetAsync(string address, string origin)
    {
        var user = await users.FindByEmailAsync(address);
        if (user is null)
        {
            return null;
        }

        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        return EmailTemplates.ResetPassword(user.Email!, $"{origin}/account/reset-password?userId={user.Id}&code={code}");
    }

    public Task SendAccountExistsAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return email.SendAsync(
            EmailTemplates.AccountAlreadyExists(user.Email!, urls.Absolute("/account/login"), urls.Absolute("/account/forgot-password")),
            cancellationToken);
    }

    public Task SendPasswordChangedAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        return email.SendAsync(EmailTemplates.PasswordChanged(user.Email!, user.DisplayName), cancellationToken);
    }

    public static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    /// <summary>Decodes a link's code; null when it was tampered into something undecodable.</summary>
    public static string? Decode(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return null;
        }

        try
        {
            return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
