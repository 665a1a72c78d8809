using Kryptos.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

/// <summary><c>/account/signup</c>.</summary>
public sealed class SignUpPage(IPage page) : PortalPage(page)
{
    public static async Task<SignUpPage> OpenAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/account/signup");
        return new SignUpPage(page);
    }

    /// <summary>Fills and submits the form; lands on "Check your email".</summary>
    public async Task<CheckEmailPage> SignUpAsync(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        await Page.GetByLabel("Your name").FillAsync(person.Name);
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(person.Email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(person.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        var next = new CheckEmailPage(Page);
        await Expect(next.Heading("Check your email")).ToBeVisibleAsync();
        return next;
    }
}

/// <summary><c>/account/check-email</c>, shown after signing up.</summary>
public sealed class CheckEmailPage(IPage page) : PortalPage(page)
{
    /// <summary>Opens the outbox and follows the link of the verification mail to <paramref name="person"/>.</summary>
    public async Task VerifyEmailThroughOutboxAsync(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        var outbox = await OpenOutboxAsync();
        var mail = await outbox.OpenLatestMailAsync(person.Email, "Verify your email");
        await mail.FollowLinkAsync("/account/confirm-email");
        await Expect(mail.Heading("Email verified")).ToBeVisibleAsync();
    }
}
