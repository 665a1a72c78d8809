using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

/// <summary><c>/dev/outbox</c> (Development only): the mails the host wrote instead of sending them.</summary>
public sealed class OutboxPage(IPage page) : PortalPage(page)
{
    /// <summary>Opens the newest mail to <paramref name="to"/> whose subject contains <paramref name="subject"/>.</summary>
    public async Task<MailPage> OpenLatestMailAsync(string to, string subject)
    {
        // The list is newest first. Mail leaves through a background queue: reload until it is there.
        var row = Page.Locator("tbody tr").Filter(new() { HasText = to }).Filter(new() { HasText = subject }).First;
        for (var attempt = 0; attempt < 25 && await row.CountAsync() == 0; attempt++)
        {
            await Task.Delay(200);
            await Page.ReloadAsync();
        }

        await row.GetByRole(AriaRole.Link).ClickAsync();
        var mail = new MailPage(Page);
        await Expect(mail.To).ToContainTextAsync(to);
        return mail;
    }
}

/// <summary><c>/dev/outbox/{file}</c>: one mail's text with its links made clickable.</summary>
public sealed class MailPage(IPage page) : PortalPage(page)
{
    public ILocator To => Page.Locator("dl.facts dd").First;

    /// <summary>Clicks the mail's link to <paramref name="path"/>, such as <c>/account/confirm-email</c>.</summary>
    public async Task FollowLinkAsync(string path)
    {
        var link = Page.Locator($"pre.mail a[href*='{path}']");
        await Expect(link).ToHaveCountAsync(1);
        await link.ClickAsync();
        await Page.WaitForURLAsync(url => new Uri(url).AbsolutePath.StartsWith(path, StringComparison.Ordinal));
    }
}
