using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Email verification: only the link the user was mailed verifies, and only their own account.</summary>
public sealed class EmailVerificationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const string InvalidLink = "The verification link is invalid or has expired.";

    [Fact]
    public async Task LinkFromTheMail_VerifiesTheEmail()
    {
        var user = await factory.SignUpAsync();
        Assert.False((await factory.UserAsync(user.Email)).EmailConfirmed);
        using var client = factory.NewClient();

        var page = await client.GetPageAsync(factory.Mailbox.LinkTo(user.Email, "/account/confirm-email"));

        Assert.Equal("Email verified", page.QuerySelector("h1")!.TextContent);
        Assert.True((await factory.UserAsync(user.Email)).EmailConfirmed);
    }

    [Fact]
    public async Task TamperedCode_Is400InvalidOrExpired_AndLeavesTheEmailUnverified()
    {
        var user = await factory.SignUpAsync();
        var link = factory.Mailbox.LinkTo(user.Email, "/account/confirm-email");
        using var client = factory.NewClient();

        using var response = await client.Http.GetAsync(new Uri(AccountIntents.Tamper(link), UriKind.Relative));

        await AssertInvalidLinkAsync(response);
        Assert.False((await factory.UserAsync(user.Email)).EmailConfirmed);
    }

    [Fact]
    public async Task CodeOfOneUserWithTheIdOfAnother_Is400_AndVerifiesNeither()
    {
        var alice = await factory.SignUpAsync();
        var bob = await factory.SignUpAsync();
        var bobId = (await factory.UserAsync(bob.Email)).Id;
        var aliceLink = factory.Mailbox.LinkTo(alice.Email, "/account/confirm-email");
        using var client = factory.NewClient();

        using var response = await client.Http.GetAsync(new Uri(AccountIntents.WithQueryValue(aliceLink, "userId", bobId.ToString()), UriKind.Relative));

        await AssertInvalidLinkAsync(response);
        Assert.False((await factory.UserAsync(alice.Email)).EmailConfirmed);
        Assert.False((await factory.UserAsync(bob.Email)).EmailConfirmed);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001")] // no such user
    [InlineData("not-a-user-id")]
    [InlineData("")]
    public async Task UnknownOrMalformedUserId_Is400(string userId)
    {
        var user = await factory.SignUpAsync();
        var link = factory.Mailbox.LinkTo(user.Email, "/account/confirm-email");
        using var client = factory.NewClient();

        using var response = await client.Http.GetAsync(new Uri(AccountIntents.WithQueryValue(link, "userId", userId), UriKind.Relative));

        await AssertInvalidLinkAsync(response);
        Assert.False((await factory.UserAsync(user.Email)).EmailConfirmed);
    }

    [Fact]
    public async Task ResendFromSettings_MailsANewLinkThatVerifies()
    {
        var (user, client) = await factory.SignedInUserAsync(verified: false);
        using (client)
        {
            using var response = await client.SubmitSettingsAsync("ResendVerification");

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account", response.Headers.Location!.OriginalString);
            var mails = factory.Mailbox.To(user.Email);
            Assert.Equal(2, mails.Count);
            Assert.All(mails, m => Assert.Equal("Verify your email for Kryptos Connect", m.Subject));
            var page = await client.GetPageAsync(factory.Mailbox.LinkTo(user.Email, "/account/confirm-email"));
            Assert.Equal("Email verified", page.QuerySelector("h1")!.TextContent);
            Assert.True((await factory.UserAsync(user.Email)).EmailConfirmed);
            var settings = await client.GetPageAsync("/account");
            Assert.Null(settings.QuerySelector("form[action*='handler=ResendVerification']"));
        }
    }

    private static async Task AssertInvalidLinkAsync(HttpResponseMessage response)
    {
        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(InvalidLink, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Email verified", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }
}
