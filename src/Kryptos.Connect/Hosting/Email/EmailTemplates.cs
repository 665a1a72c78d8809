using System.Text.Encodings.Web;

namespace Kryptos.Connect.Hosting.Email;

/// <summary>
/// The product's mails, as plain text and HTML. Every value that comes from a user (names,
/// workspace names) is HTML-encoded in the HTML body.
/// </summary>
public static class EmailTemplates
{
    public static EmailMessage ConfirmEmail(string to, string name, string link) => Build(to,
        "Verify your email for Kryptos Connect",
        $"Hi {name},",
        "Please confirm your email address to finish setting up your Kryptos account. The link is valid for 24 hours.",
        "Verify email", link,
        "If you did not create a Kryptos account, you can ignore this message.");

    public static EmailMessage AccountAlreadyExists(string to, string loginLink, string resetLink) => Build(to,
        "Someone tried to sign up with your email",
        "Hello,",
        "Someone (hopefully you) tried to create a Kryptos account with this email address, but you already have one. "
        + $"Log in at {loginLink}, or reset your password if you forgot it.",
        "Reset your password", resetLink,
        "If this was not you, you can ignore this message; your account is unchanged.");

    public static EmailMessage ResetPassword(string to, string link) => Build(to,
        "Reset your Kryptos password",
        "Hello,",
        "We received a request to reset the password of your Kryptos account. The link is valid for 1 hour and works once.",
        "Choose a new password", link,
        "If you did not ask for this, ignore this message: your password stays as it is.");

    public static EmailMessage PasswordChanged(string to, string name) => Build(to,
        "Your Kryptos password was changed",
        $"Hi {name},",
        "The password of your Kryptos account was just changed and every other session was signed out.",
        null, null,
        "If this was not you, reset your password at once and contact support.");

    public static EmailMessage ConfirmEmailChange(string to, string name, string link) => Build(to,
        "Confirm your new email address for Kryptos",
        $"Hi {name},",
        "You asked to use this address for your Kryptos account. Follow the link within 1 hour to confirm it. "
        + "Once confirmed, every session is signed out and the apps you connected must be allowed again.",
        "Confirm the new address", link,
        "If you did not ask for this, ignore this message: nothing changes.");

    public static EmailMessage EmailChangeRequested(string to, string name, string newAddress) => Build(to,
        "A change of your Kryptos email address was requested",
        $"Hi {name},",
        $"Someone signed in to your Kryptos account asked to change its email address to {newAddress}. "
        + "Nothing changes until that address confirms.",
        null, null,
        "If this was not you, change your password at once: someone else knows it.");

    public static EmailMessage EmailChanged(string to, string name, string newAddress) => Build(to,
        "Your Kryptos email address was changed",
        $"Hi {name},",
        $"The email address of your Kryptos account is now {newAddress}. Every session was signed out and "
        + "every app you had connected lost its access.",
        null, null,
        "If this was not you, contact support at once.");

    public static EmailMessage AccountDeleted(string to, string name) => Build(to,
        "Your Kryptos account was deleted",
        $"Hi {name},",
        "Your Kryptos account and its personal workspace were deleted, and every app you had connected lost its access.",
        null, null,
        "If this was not you, contact support at once.");

    public static EmailMessage Invitation(string to, string inviter, string workspace, string role, string link, DateTimeOffset expiresAt) => Build(to,
        $"{inviter} invited you to {workspace} on Kryptos Connect",
        "Hello,",
        $"{inviter} invited you to join the workspace \"{workspace}\" as {role}. The invitation expires on {expiresAt:yyyy-MM-dd HH:mm} UTC and can be used once.",
        "Accept invitation", link,
        "If you were not expecting this invitation, you can ignore this message.");

    public static EmailMessage ApiKeyLeaked(string to, string workspace, string keyName, string keyDisplay, string link) => Build(to,
        $"An API key of {workspace} was reported as leaked and revoked",
        "Hello,",
        $"The API key \"{keyName}\" ({keyDisplay}) of the workspace \"{workspace}\" was found in a public place and reported to us, "
        + "so we revoked it: requests with it are refused from now on. Create a new key for the servers that used it.",
        "See the workspace's API keys", link,
        "You receive this because you own the workspace. Check where the key was stored and remove it there.");

    private static EmailMessage Build(string to, string subject, string greeting, string body, string? action, string? link, string footer)
    {
        var text = $"{greeting}\n\n{body}\n\n"
            + (link is null ? "" : $"{action}: {link}\n\n")
            + $"{footer}\n\n— Kryptos Connect\n";
        var encoder = HtmlEncoder.Default;
        var html = $"<p>{encoder.Encode(greeting)}</p><p>{encoder.Encode(body)}</p>"
            + (link is null ? "" : $"<p><a href=\"{encoder.Encode(link)}\">{encoder.Encode(action!)}</a></p>")
            + $"<p>{encoder.Encode(footer)}</p><p>— Kryptos Connect</p>";
        return new EmailMessage(to, subject, text, html);
    }
}
