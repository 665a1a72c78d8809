using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Account settings: the profile is saved; a wrong current password is named on its field.</summary>
public sealed class AccountSettingsTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task DisplayNameChange_IsSaved()
    {
        var (user, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var response = await client.SubmitSettingsAsync("Profile", new Dictionary<string, string>
            {
                ["Profile.DisplayName"] = "  Grace Hopper  ",
                ["Profile.Language"] = "fi",
            });

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account", response.Headers.Location!.OriginalString);
            var saved = await factory.UserAsync(user.Email);
            Assert.Equal("Grace Hopper", saved.DisplayName);
            Assert.Equal("fi", saved.Language);
            var page = await client.FollowAsync(response);
            Assert.Equal("Profile saved.", page.QuerySelector("[role=status]")!.TextContent.Trim());
            Assert.Equal("Grace Hopper", page.InputValue("Profile.DisplayName"));
        }
    }

    [Fact]
    public async Task EmptyDisplayName_ShowsAnErrorOnThatField_AndKeepsTheSavedName()
    {
        var (user, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var response = await client.SubmitSettingsAsync("Profile", new Dictionary<string, string> { ["Profile.DisplayName"] = "" });

            var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
            Assert.Equal("Enter your name.", page.FieldError("Profile.DisplayName"));
            Assert.Equal(user.Name, (await factory.UserAsync(user.Email)).DisplayName);
        }
    }

    [Fact]
    public async Task UnlistedLanguage_ShowsAnErrorOnThatField_AndSavesNothing()
    {
        var (user, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var response = await client.SubmitSettingsAsync("Profile", new Dictionary<string, string>
            {
                ["Profile.DisplayName"] = "Grace Hopper",
                ["Profile.Language"] = "xx",
            });

            var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
            Assert.Equal("Choose one of the listed languages.", page.FieldError("Profile.Language"));
            var saved = await factory.UserAsync(user.Email);
            Assert.Equal(user.Name, saved.DisplayName);
            Assert.Equal("en", saved.Language);
        }
    }

    [Fact]
    public async Task WrongCurrentPassword_ShowsAnErrorOnThatField_AndKeepsThePassword()
    {
        var (user, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var response = await client.SubmitSettingsAsync("Password", new Dictionary<string, string>
            {
                ["Password.CurrentPassword"] = "not my current passphrase",
                ["Password.NewPassword"] = "a changed passphrase",
            });

            var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("The password is not correct.", page.FieldError("Password.CurrentPassword"));
            Assert.Equal("", page.FieldError("Password.NewPassword"));
            using var stillSignedIn = await client.Http.GetAsync(new Uri("/account", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, stillSignedIn.StatusCode);
            using var other = factory.NewClient();
            using var withNew = await other.LoginAsync(user with { Password = "a changed passphrase" });
            Assert.Equal(HttpStatusCode.OK, withNew.StatusCode);
            using var withOld = await other.LoginAsync(user);
            Assert.Equal(HttpStatusCode.Redirect, withOld.StatusCode);
        }
    }

    [Fact]
    public async Task CommonNewPassword_ShowsAnErrorOnTheNewPasswordField()
    {
        var (user, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var response = await client.SubmitSettingsAsync("Password", new Dictionary<string, string>
            {
                ["Password.CurrentPassword"] = user.Password,
                ["Password.NewPassword"] = "password123",
            });

            var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
            Assert.Equal("This password is too common. Choose one that is harder to guess.", page.FieldError("Password.NewPassword"));
            Assert.Equal("", page.FieldError("Password.CurrentPassword"));
        }
    }

    [Fact]
    public async Task Settings_WithoutASession_SendToTheLoginPage()
    {
        using var client = factory.NewClient();

        using var response = await client.Http.GetAsync(new Uri("/account", UriKind.Relative));

        AccountIntents.AssertRedirectsToLogin(response);
        Assert.Contains("returnUrl=%2Faccount", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }
}
