using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Passwords and the codes of verification and reset links never reach a log.</summary>
public sealed class SecretsInLogsTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task SignUpVerificationLoginAndResetFlows_NeverLogPasswordsOrLinkCodes()
    {
        var firstPassword = $"first-{Guid.NewGuid():N}";
        var resetPassword = $"reset-{Guid.NewGuid():N}";
        var changedPassword = $"changed-{Guid.NewGuid():N}";
        var wrongPassword = $"wrong-{Guid.NewGuid():N}";

        var user = await factory.SignUpAsync(password: firstPassword);
        var confirmLink = factory.Mailbox.LinkTo(user.Email, "/account/confirm-email");
        await factory.VerifyEmailAsync(user);
        using (var client = factory.NewClient())
        {
            using var failed = await client.SubmitLoginAsync(user.Email, wrongPassword);
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        var resetLink = await factory.RequestResetLinkAsync(user);
        using (var client = factory.NewClient())
        {
            using var tampered = await client.ResetPasswordAsync(AccountIntents.Tamper(resetLink), resetPassword);
            using var reset = await client.ResetPasswordAsync(resetLink, resetPassword);
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
            using var replayed = await client.ResetPasswordAsync(resetLink, resetPassword);
        }

        using (var client = await factory.LoginAsync(user with { Password = resetPassword }))
        {
            using var changed = await client.SubmitSettingsAsync("Password", new Dictionary<string, string>
            {
                ["Password.CurrentPassword"] = resetPassword,
                ["Password.NewPassword"] = changedPassword,
            });
            Assert.Equal(HttpStatusCode.Redirect, changed.StatusCode);
        }

        var logs = factory.Logs.Messages.ToList();
        // The collector does see the host's logs (the mails above were logged by subject).
        Assert.Contains(logs, m => m.Contains("written to the pickup directory", StringComparison.Ordinal));
        var secrets = new Dictionary<string, string>
        {
            ["the first password"] = firstPassword,
            ["the reset password"] = resetPassword,
            ["the changed password"] = changedPassword,
            ["a wrong password"] = wrongPassword,
            ["the confirmation code"] = AccountIntents.QueryValue(confirmLink, "code"),
            ["the confirmation token"] = AccountIntents.DecodedCode(confirmLink),
            ["the reset code"] = AccountIntents.QueryValue(resetLink, "code"),
            ["the reset token"] = AccountIntents.DecodedCode(resetLink),
        };
        foreach (var (what, secret) in secrets)
        {
            var leaks = logs.Where(m => m.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"{what} was logged:{Environment.NewLine}{string.Join(Environment.NewLine, leaks)}");
        }
    }
}
