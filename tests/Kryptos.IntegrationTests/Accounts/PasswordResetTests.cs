using System.Net;
using Kryptos.Connect.Accounts.Pages;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Password reset: no enumeration, one-time links, old password and old sessions end.</summary>
public sealed class PasswordResetTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const string NewPassword = "a brand new passphrase";

    [Fact]
    public async Task ForgotPassword_AnswersTheSameForUnknownAndKnownEmails_AndMailsOnlyTheKnownOne()
    {
        var user = await factory.SignUpAsync();
        var unknown = Intents.NewEmail("unknown");
        using var client = factory.NewClient();

        using var forKnown = await client.ForgotPasswordAsync(user.Email);
        using var forUnknown = await client.ForgotPasswordAsync(unknown);

        Assert.Equal(HttpStatusCode.Redirect, forKnown.StatusCode);
        Assert.Equal(forKnown.StatusCode, forUnknown.StatusCode);
        Assert.Equal("/account/check-email?reason=reset", forKnown.Headers.Location!.OriginalString);
        Assert.Equal(forKnown.Headers.Location, forUnknown.Headers.Location);
        Assert.Equal("Reset your Kryptos password", factory.Mailbox.LastTo(user.Email).Subject);
        Assert.Empty(factory.Mailbox.To(unknown));
    }

    [Fact]
    public async Task ResetLink_SetsTheNewPassword_AndTheOldOneStopsWorking()
    {
        var user = await factory.SignUpAsync();
        var link = await factory.RequestResetLinkAsync(user);
        using var client = factory.NewClient();

        using var response = await client.ResetPasswordAsync(link, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", response.Headers.Location!.OriginalString);
        Assert.Equal("Your Kryptos password was changed", factory.Mailbox.LastTo(user.Email).Subject);
        using var other = factory.NewClient();
        using var withOld = await other.LoginAsync(user);
        Assert.Equal(LoginModel.FailureMessage, (await PortalClient.ReadPageAsync(withOld, HttpStatusCode.OK)).FormErrors());
        using var withNew = await other.LoginAsync(user with { Password = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, withNew.StatusCode);
        Assert.Equal("/workspaces", withNew.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task ResetLink_WorksOnlyOnce()
    {
        var user = await factory.SignUpAsync();
        var link = await factory.RequestResetLinkAsync(user);
        using var client = factory.NewClient();
        using var first = await client.ResetPasswordAsync(link, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);

        using var second = await client.ResetPasswordAsync(link, "the attacker's passphrase");

        var page = await PortalClient.ReadPageAsync(second, HttpStatusCode.OK);
        Assert.Equal(ResetPasswordModel.InvalidLinkMessage, page.FormErrors());
        await AssertPasswordIsAsync(user, NewPassword, notPassword: "the attacker's passphrase");
    }

    [Fact]
    public async Task TamperedResetLink_IsRefused_AndThePasswordStays()
    {
        var user = await factory.SignUpAsync();
        var link = await factory.RequestResetLinkAsync(user);
        using var client = factory.NewClient();

        using var response = await client.ResetPasswordAsync(AccountIntents.Tamper(link), NewPassword);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal(ResetPasswordModel.InvalidLinkMessage, page.FormErrors());
        await AssertPasswordIsAsync(user, user.Password, notPassword: NewPassword);
    }

    [Fact]
    public async Task ResetLinkOfOneUserWithTheIdOfAnother_IsRefused_AndNeitherPasswordChanges()
    {
        var alice = await factory.SignUpAsync();
        var bob = await factory.SignUpAsync();
        var bobId = (await factory.UserAsync(bob.Email)).Id;
        var aliceLink = await factory.RequestResetLinkAsync(alice);
        using var client = factory.NewClient();

        using var response = await client.ResetPasswordAsync(AccountIntents.WithQueryValue(aliceLink, "userId", bobId.ToString()), NewPassword);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal(ResetPasswordModel.InvalidLinkMessage, page.FormErrors());
        await AssertPasswordIsAsync(bob, bob.Password, notPassword: NewPassword);
        await AssertPasswordIsAsync(alice, alice.Password, notPassword: NewPassword);
    }

    [Theory]
    [InlineData("00000000-0000-0000-0000-000000000001")]
    [InlineData("not-a-user-id")]
    public async Task ResetLinkWithAnUnknownOrMalformedUserId_IsRefused(string userId)
    {
        var user = await factory.SignUpAsync();
        var link = await factory.RequestResetLinkAsync(user);
        using var client = factory.NewClient();

        using var response = await client.ResetPasswordAsync(AccountIntents.WithQueryValue(link, "userId", userId), NewPassword);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal(ResetPasswordModel.InvalidLinkMessage, page.FormErrors());
        await AssertPasswordIsAsync(user, user.Password, notPassword: NewPassword);
    }

    [Fact]
    public async Task CommonNewPassword_IsRefusedNextToTheField_AndTheLinkStaysUsable()
    {
        var user = await factory.SignUpAsync();
        var link = await factory.RequestResetLinkAsync(user);
        using var client = factory.NewClient();

        using var refused = await client.ResetPasswordAsync(link, "password123");

        var page = await PortalClient.ReadPageAsync(refused, HttpStatusCode.OK);
        Assert.Equal("This password is too common. Choose one that is harder to guess.", page.FieldError("NewPassword"));
        using var accepted = await client.ResetPasswordAsync(link, NewPassword);
        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
    }

    [Fact]
    public async Task Reset_EndsTheSessionsStartedBeforeIt()
    {
        var (user, signedIn) = await factory.SignedInUserAsync();
        using (signedIn)
        {
            var userId = (await factory.UserAsync(user.Email)).Id;
            Assert.Equal(1, await factory.SessionCountAsync(userId));
            var link = await factory.RequestResetLinkAsync(user);
            using var client = factory.NewClient();

            using var response = await client.ResetPasswordAsync(link, NewPassword);

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal(0, await factory.SessionCountAsync(userId));
            using var next = await signedIn.Http.GetAsync(new Uri("/account", UriKind.Relative));
            AccountIntents.AssertRedirectsToLogin(next);
        }
    }

    [Fact]
    public async Task Reset_LiftsALockout()
    {
        var user = await factory.SignUpAsync();
        using (var attacker = factory.NewClient())
        {
            for (var attempt = 1; attempt <= 5; attempt++)
            {
                using var failed = await attacker.SubmitLoginAsync(user.Email, $"guess {attempt} of a passphrase");
            }
        }

        Assert.NotNull((await factory.UserAsync(user.Email)).LockoutEnd);
        var link = await factory.RequestResetLinkAsync(user);
        using var client = factory.NewClient();

        using var response = await client.ResetPasswordAsync(link, NewPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var login = await client.LoginAsync(user with { Password = NewPassword });
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    private async Task AssertPasswordIsAsync(TestUser user, string password, string notPassword)
    {
        using var client = factory.NewClient();
        using var wrong = await client.LoginAsync(user with { Password = notPassword });
        Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        using var right = await client.LoginAsync(user with { Password = password });
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
    }
}
