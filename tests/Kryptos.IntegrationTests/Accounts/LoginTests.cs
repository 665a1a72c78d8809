using System.Net;
using System.Text.RegularExpressions;
using Kryptos.Connect.Accounts.Pages;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Login: one generic failure message, lockout after five failures, no open redirect.</summary>
public sealed partial class LoginTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task CorrectPassword_RedirectsToWorkspaces_AndStartsASession()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClient();

        using var response = await client.LoginAsync(user);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/workspaces", response.Headers.Location!.OriginalString);
        var userId = (await factory.UserAsync(user.Email)).Id;
        Assert.Equal(1, await factory.SessionCountAsync(userId));
        var settings = await client.GetPageAsync("/account");
        Assert.Contains(user.Email, settings.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_ShowsTheGenericMessageAndCountsAFailure()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClient();

        using var response = await client.SubmitLoginAsync(user.Email, "not the right passphrase");

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal(LoginModel.FailureMessage, page.FormErrors());
        Assert.Equal(user.Email, page.InputValue("Input.Email"));
        Assert.Equal("", page.InputValue("Input.Password"));
        Assert.Equal(1, (await factory.UserAsync(user.Email)).AccessFailedCount);
        Assert.DoesNotContain(response.Headers.Where(h => h.Key == "Set-Cookie").SelectMany(h => h.Value), c => c.StartsWith("__Host-kryptos.session=", StringComparison.Ordinal));
        using var settings = await client.Http.GetAsync(new Uri("/account", UriKind.Relative));
        AccountIntents.AssertRedirectsToLogin(settings);
    }

    [Fact]
    public async Task UnknownEmail_GetsExactlyTheSamePageAsAWrongPassword()
    {
        var user = await factory.SignUpAsync();
        var unknown = Intents.NewEmail("unknown");
        using var client = factory.NewClient();

        using var wrongPassword = await client.SubmitLoginAsync(user.Email, "not the right passphrase");
        using var unknownEmail = await client.SubmitLoginAsync(unknown, "not the right passphrase");

        Assert.Equal(HttpStatusCode.OK, wrongPassword.StatusCode);
        Assert.Equal(HttpStatusCode.OK, unknownEmail.StatusCode);
        var wrongPasswordPage = await PortalClient.ReadPageAsync(wrongPassword);
        var unknownEmailPage = await PortalClient.ReadPageAsync(unknownEmail);
        Assert.Equal(LoginModel.FailureMessage, unknownEmailPage.FormErrors());
        // Apart from the address typed in and the antiforgery token, the pages are the same.
        Assert.Equal(
            Comparable(wrongPasswordPage.QuerySelector("main")!.InnerHtml, user.Email),
            Comparable(unknownEmailPage.QuerySelector("main")!.InnerHtml, unknown));
    }

    [Fact]
    public async Task FiveFailures_LockTheAccount_SoEvenTheCorrectPasswordThenFails()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClient();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var failed = await client.SubmitLoginAsync(user.Email, $"wrong passphrase {attempt}");
            Assert.Equal(LoginModel.FailureMessage, (await PortalClient.ReadPageAsync(failed, HttpStatusCode.OK)).FormErrors());
        }

        var locked = await factory.UserAsync(user.Email);
        Assert.NotNull(locked.LockoutEnd);
        Assert.True(locked.LockoutEnd > DateTimeOffset.UtcNow.AddMinutes(10), $"Locked until {locked.LockoutEnd}.");

        using var correct = await client.LoginAsync(user);

        var page = await PortalClient.ReadPageAsync(correct, HttpStatusCode.OK);
        Assert.Equal(LoginModel.FailureMessage, page.FormErrors());
        Assert.Equal(0, await factory.SessionCountAsync(locked.Id));
        using var settings = await client.Http.GetAsync(new Uri("/account", UriKind.Relative));
        AccountIntents.AssertRedirectsToLogin(settings);
    }

    [Fact]
    public async Task FourFailures_DoNotLockTheAccount()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClient();
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            using var failed = await client.SubmitLoginAsync(user.Email, $"wrong passphrase {attempt}");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var correct = await client.LoginAsync(user);

        Assert.Equal(HttpStatusCode.Redirect, correct.StatusCode);
        Assert.Equal(0, (await factory.UserAsync(user.Email)).AccessFailedCount);
    }

    [Theory]
    [InlineData("https://evil.example/")]
    [InlineData("//evil.example")]
    [InlineData("/\\evil.example")]
    [InlineData("https://localhost.evil.example/account")]
    public async Task ExternalReturnUrl_IsNotFollowed(string returnUrl)
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClient();

        using var response = await client.LoginAsync(user, "/account/login?returnUrl=" + Uri.EscapeDataString(returnUrl));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/workspaces", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LocalReturnUrl_IsFollowed()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClient();

        using var response = await client.LoginAsync(user, "/account/login?returnUrl=" + Uri.EscapeDataString("/account?tab=profile"));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account?tab=profile", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task LoginPage_WhenAlreadySignedIn_DoesNotFollowAnExternalReturnUrl()
    {
        var (_, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var response = await client.Http.GetAsync(new Uri("/account/login?returnUrl=" + Uri.EscapeDataString("//evil.example"), UriKind.Relative));

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/workspaces", response.Headers.Location!.OriginalString);
        }
    }

    private static string Comparable(string html, string email) =>
        AntiforgeryValue().Replace(html.Replace(email, "EMAIL", StringComparison.Ordinal), "value=\"TOKEN\"");

    [GeneratedRegex("value=\"CfDJ8[^\"]*\"")]
    private static partial Regex AntiforgeryValue();
}
