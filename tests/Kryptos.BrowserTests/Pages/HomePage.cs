using Microsoft.Playwright;

namespace Kryptos.BrowserTests.Pages;

/// <summary>The landing page, <c>/</c>.</summary>
public sealed class HomePage(IPage page) : PortalPage(page)
{
    public static async Task<HomePage> OpenAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/");
        return new HomePage(page);
    }

    public ILocator SignUpLink => MainNavigation.GetByRole(AriaRole.Link, new() { Name = "Sign up", Exact = true });

    public ILocator LogInLink => MainNavigation.GetByRole(AriaRole.Link, new() { Name = "Log in", Exact = true });
}
