using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>A host configured with Email:Smtp:*, beside a fake SMTP server it sends to.</summary>
public sealed class SmtpFactory : KryptosFactory
{
    public SmtpFactory()
    {
        Settings["Email:Smtp:Host"] = "127.0.0.1";
        Settings["Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Email:Smtp:Security"] = "None";
    }

    public FakeSmtpServer Smtp { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>With Email:Smtp:Host set, mail goes out through SMTP (MailKit) instead of the pickup folder.</summary>
public sealed class SmtpEmailTests(SmtpFactory factory) : IClassFixture<SmtpFactory>
{
    [Fact]
    public async Task SignUp_SendsTheVerificationMailThroughSmtp_AndNothingToThePickupFolder()
    {
        var user = await factory.SignUpAsync();
        await factory.MailDeliveredAsync();

        var (to, data) = Assert.Single(factory.Smtp.Messages, m => m.To.Contains(user.Email));
        Assert.Equal([user.Email], to);
        Assert.Contains("Subject: Verify your email for Kryptos Connect", data, StringComparison.Ordinal);
        Assert.Contains("/account/confirm-email?userId=", data.Replace("=\r\n", "", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Empty(factory.Mailbox.To(user.Email));
    }
}
