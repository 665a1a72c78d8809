using System.Text;
using Kryptos.Connect.Accounts.Email;
using Kryptos.Connect.Hosting;
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

    public async Task SendPasswordResetAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var code = Encode(await users.GeneratePasswordResetTokenAsync(user));
        var link = urls.Absolute($"/account/reset-password?userId={user.Id}&code={code}");
        await email.SendAsync(EmailTemplates.ResetPassword(user.Email!, link), cancellationToken);
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
