using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Sign-up: creates the account and its personal workspace, validates next to the fields, never reveals an existing email.</summary>
public sealed class SignUpTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task NewEmail_CreatesTheUserAPersonalWorkspaceAndSendsAVerificationMail()
    {
        var email = Intents.NewEmail("signup");
        using var client = factory.NewClient();

        using var response = await client.SubmitSignUpAsync("Ada Lovelace", email, Intents.DefaultPassword);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/check-email?reason=signup", response.Headers.Location!.OriginalString);
        var user = await factory.UserAsync(email);
        Assert.Equal("Ada Lovelace", user.DisplayName);
        Assert.False(user.EmailConfirmed);
        var workspaces = await factory.WithDbAsync(db => db.WorkspaceMembers
            .Where(m => m.UserId == user.Id && m.Workspace.IsPersonal)
            .Select(m => m.Role.ToString())
            .ToListAsync());
        Assert.Equal(["Owner"], workspaces);
        var mail = Assert.Single(factory.Mailbox.To(email));
        Assert.Equal("Verify your email for Kryptos Connect", mail.Subject);
        var link = factory.Mailbox.LinkTo(email, "/account/confirm-email");
        Assert.Equal(user.Id.ToString(), AccountIntents.QueryValue(link, "userId"));
        Assert.NotEmpty(AccountIntents.QueryValue(link, "code"));
    }

    private static readonly string[] Fields = ["Input.DisplayName", "Input.Email", "Input.Password"];

    public static TheoryData<string, string, string, string, string> InvalidInputs => new()
    {
        // field with the error, name, email ("fresh": a new address), password, the message next to the field
        { "Input.DisplayName", "", "fresh", Intents.DefaultPassword, "Enter your name." },
        { "Input.Email", "Ada Lovelace", "not-an-email", Intents.DefaultPassword, "Enter a valid email address, like name@example.com." },
        { "Input.Password", "Ada Lovelace", "fresh", "short1!", "Use between 8 and 256 characters." },
        { "Input.Password", "Ada Lovelace", "fresh", "password123", "This password is too common. Choose one that is harder to guess." },
    };

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public async Task InvalidField_ShowsTheErrorNextToThatField_KeepsTheOtherFields_AndCreatesNothing(
        string field, string name, string email, string password, string message)
    {
        if (email == "fresh")
        {
            email = Intents.NewEmail("invalid");
        }

        using var client = factory.NewClient();
        using var response = await client.SubmitSignUpAsync(name, email, password);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal(message, page.FieldError(field));
        foreach (var other in Fields.Where(f => f != field))
        {
            Assert.Equal("", page.FieldError(other));
        }

        Assert.Equal(name, page.InputValue("Input.DisplayName"));
        Assert.Equal(email, page.InputValue("Input.Email"));
        Assert.Equal("", page.InputValue("Input.Password")); // a password is never sent back
        Assert.Null(await factory.FindUserAsync(email));
        Assert.Empty(factory.Mailbox.To(email));
    }

    [Fact]
    public async Task DuplicateEmail_GetsExactlyTheSameAnswerAsANewEmail_MailsTheOwner_AndCreatesNoSecondUser()
    {
        var owner = await factory.SignUpAsync(name: "Original Owner");
        using var newClient = factory.NewClient();
        using var newEmail = await newClient.SubmitSignUpAsync("Someone", Intents.NewEmail("other"), "another good passphrase");
        using var duplicateClient = factory.NewClient();

        using var duplicate = await duplicateClient.SubmitSignUpAsync("Mallory", owner.Email, "mallory's own passphrase");

        Assert.Equal(newEmail.StatusCode, duplicate.StatusCode);
        Assert.Equal(newEmail.Headers.Location, duplicate.Headers.Location);
        Assert.Equal(
            (await newClient.FollowAsync(newEmail)).QuerySelector("main")!.TextContent,
            (await duplicateClient.FollowAsync(duplicate)).QuerySelector("main")!.TextContent);

        var mails = factory.Mailbox.To(owner.Email);
        Assert.Equal(["Verify your email for Kryptos Connect", "Someone tried to sign up with your email"], mails.Select(m => m.Subject));
        Assert.Contains("/account/forgot-password", mails[^1].TextBody, StringComparison.Ordinal);
        var normalized = owner.Email.ToUpperInvariant();
        Assert.Equal(1, await factory.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == normalized)));
        var user = await factory.UserAsync(owner.Email);
        Assert.Equal("Original Owner", user.DisplayName);

        using var mallory = factory.NewClient();
        using var malloryLogin = await mallory.SubmitLoginAsync(owner.Email, "mallory's own passphrase");
        Assert.Equal(HttpStatusCode.OK, malloryLogin.StatusCode); // the account still has its own password
    }

    [Fact]
    public async Task DuplicateEmailInOtherLetterCase_IsTheSameAccount_AndCreatesNoSecondUser()
    {
        var owner = await factory.SignUpAsync();
        using var client = factory.NewClient();

        using var response = await client.SubmitSignUpAsync("Shouting", owner.Email.ToUpperInvariant(), "another good passphrase");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/check-email?reason=signup", response.Headers.Location!.OriginalString);
        var normalized = owner.Email.ToUpperInvariant();
        Assert.Equal(1, await factory.WithDbAsync(db => db.Users.CountAsync(u => u.NormalizedEmail == normalized)));
        Assert.Equal("Someone tried to sign up with your email", factory.Mailbox.LastTo(owner.Email).Subject);
    }

    [Fact]
    public async Task DuplicateEmailWithACommonPassword_ShowsTheSameErrorAsANewEmail_AndSendsNoMail()
    {
        var owner = await factory.SignUpAsync();
        using var client = factory.NewClient();

        using var forNew = await client.SubmitSignUpAsync("Ada Lovelace", Intents.NewEmail("new"), "password123");
        using var forExisting = await client.SubmitSignUpAsync("Ada Lovelace", owner.Email, "password123");

        Assert.Equal(HttpStatusCode.OK, forNew.StatusCode);
        Assert.Equal(HttpStatusCode.OK, forExisting.StatusCode);
        var newPage = await PortalClient.ReadPageAsync(forNew);
        var existingPage = await PortalClient.ReadPageAsync(forExisting);
        Assert.Equal(newPage.FieldError("Input.Password"), existingPage.FieldError("Input.Password"));
        Assert.NotEmpty(existingPage.FieldError("Input.Password"));
        Assert.Single(factory.Mailbox.To(owner.Email)); // only the verification mail of the first sign-up
    }
}
