using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

/// <summary>What every page shares: the layout's navigation, status message and headings.</summary>
public abstract class PortalPage(IPage page)
{
    public IPage Page { get; } = page;

    public ILocator MainNavigation => Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });

    /// <summary>A status message of the layout (or page) that contains <paramref name="text"/>.</summary>
    public ILocator Status(string text) => Page.GetByRole(AriaRole.Status).Filter(new() { HasText = text });

    public ILocator Heading(string name) => Page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 });

    /// <summary>Logs out with the layout's button (a POST with its antiforgery token).</summary>
    public async Task<HomePage> LogOutAsync()
    {
        await MainNavigation.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await Expect(Status("You are logged out.")).ToBeVisibleAsync();
        return new HomePage(Page);
    }

    /// <summary>Opens the Development outbox through the navigation link.</summary>
    public async Task<OutboxPage> OpenOutboxAsync()
    {
        await MainNavigation.GetByRole(AriaRole.Link, new() { Name = "Outbox" }).ClickAsync();
        await Expect(Heading("Outbox")).ToBeVisibleAsync();
        return new OutboxPage(Page);
    }
}
