using Kryptos.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

/// <summary><c>/account/login</c>.</summary>
public sealed class LoginPage(IPage page) : PortalPage(page)
{
    public static async Task<LoginPage> OpenAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/account/login");
        return new LoginPage(page);
    }

    /// <summary>Logs in and waits until the portal has left the login page (for /workspaces unless a return URL says otherwise).</summary>
    public async Task LogInAsync(Person person)
    {
        ArgumentNullException.ThrowIfNull(person);
        await Page.GetByLabel("Email", new() { Exact = true }).FillAsync(person.Email);
        await Page.GetByLabel("Password", new() { Exact = true }).FillAsync(person.Password);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Log in", Exact = true }).ClickAsync();
        await Expect(MainNavigation.GetByRole(AriaRole.Button, new() { Name = "Log out" })).ToBeVisibleAsync();
    }

    /// <summary>Logs in from the login page and expects the workspace list.</summary>
    public async Task<WorkspacesPage> LogInToWorkspacesAsync(Person person)
    {
        await LogInAsync(person);
        var workspaces = new WorkspacesPage(Page);
        await Expect(workspaces.Heading("Workspaces")).ToBeVisibleAsync();
        return workspaces;
    }
}
