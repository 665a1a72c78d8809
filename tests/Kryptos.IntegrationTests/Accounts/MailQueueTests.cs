using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>A host sending through a fake SMTP server that tests can take down or slow down; retries come quickly.</summary>
public sealed class FlakySmtpFactory : KryptosFactory
{
    public FlakySmtpFactory()
    {
        Settings["Email:Smtp:Host"] = "127.0.0.1";
        Settings["Email:Smtp:Port"] = Smtp.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Settings["Email:Smtp:Security"] = "None";
        Settings["Email:RetryDelay"] = "00:00:00.050";
        Settings["Email:MaxDeliveryAttempts"] = "4";
    }

    public FakeSmtpServer Smtp { get; } = new();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Smtp.DisposeAsync();
    }
}

/// <summary>
/// Mail leaves through a background queue: a request never waits for the mail server, a failed
/// delivery is retried, and a graceful shutdown delivers what is queued.
/// </summary>
public sealed class MailQueueTests
{
    [Fact]
    public async Task WhileTheMailServerRefusesMail_TheRequestAnswersAtOnce_AndTheMailIsRetriedUntilItGoesOut()
    {
        await using var factory = new FlakySmtpFactory();
        factory.Smtp.RefuseNext = 2;
        var email = Intents.NewEmail("patient");

        using var client = factory.NewClient();
        using var response = await client.SubmitSignUpAsync("Patient Person", email, Intents.DefaultPassword);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        await factory.MailDeliveredAsync();

        Assert.Equal(0, factory.Smtp.RefuseNext);
        Assert.Single(factory.Smtp.Messages, m => m.To.Contains(email));
        Assert.Equal(2, factory.Logs.Messages.Count(m => m.StartsWith("Warning", StringComparison.Ordinal) && m.Contains("Delivering email 'Verify your email for Kryptos Connect' failed", StringComparison.Ordinal)));
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains("/account/confirm-email?", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AMailTheServerKeepsRefusing_IsGivenUpAfterTheLastAttempt_WithAnError()
    {
        await using var factory = new FlakySmtpFactory();
        factory.Smtp.RefuseNext = 100;

        await factory.SignUpAsync();
        await factory.MailDeliveredAsync();

        Assert.Equal(96, factory.Smtp.RefuseNext);
        Assert.Single(factory.Logs.Messages, m => m.StartsWith("Error", StringComparison.Ordinal) && m.Contains("Gave up delivering email 'Verify your email for Kryptos Connect' after 4 attempts", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AGracefulShutdown_DeliversWhatIsStillQueued()
    {
        var factory = new FlakySmtpFactory();
        var stopped = false;
        try
        {
            factory.Smtp.Delay = TimeSpan.FromMilliseconds(300);
            var emails = Enumerable.Range(0, 3).Select(_ => Intents.NewEmail("late")).ToList();
            using (var client = factory.NewClient())
            {
                foreach (var email in emails)
                {
                    using var response = await client.SubmitSignUpAsync("Late Person", email, Intents.DefaultPassword);
                    Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                }
            }

            // Stop the host at once: the queue still holds mail (each takes 300 ms to deliver). The
            // fake server stops only after the host, and keeps what it received.
            Assert.True(factory.Smtp.Messages.Count < emails.Count, "Every mail went out before the shutdown; the test proves nothing.");
            await factory.DisposeAsync();
            stopped = true;

            Assert.All(emails, email => Assert.Single(factory.Smtp.Messages, m => m.To.Contains(email)));
        }
        finally
        {
            if (!stopped)
            {
                await factory.DisposeAsync();
            }
        }
    }
}
