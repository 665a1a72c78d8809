using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

/// <summary>The portfolio pages of a workspace (<c>/workspaces/{id}/portfolio/…</c>), reached through its tabs.</summary>
public sealed class PortfolioPage(IPage page) : WorkspacePage(page)
{
    public ILocator Sections => Page.GetByRole(AriaRole.Navigation, new() { Name = "Portfolio" });

    public ILocator HoldingRow(string asset) => Page.Locator($"#holdings tbody tr[data-asset='{asset}']");

    /// <summary>Opens the workspace's "Portfolio" tab (the holdings).</summary>
    public static async Task<PortfolioPage> OpenFromAsync(WorkspacePage workspace)
    {
        ArgumentNullException.ThrowIfNull(workspace);
        await workspace.Tabs.GetByRole(AriaRole.Link, new() { Name = "Portfolio" }).ClickAsync();
        return new PortfolioPage(workspace.Page);
    }

    public async Task OpenSectionAsync(string name) => await Sections.GetByRole(AriaRole.Link, new() { Name = name, Exact = true }).ClickAsync();

    /// <summary>Adds an account at <paramref name="exchange"/> from the Accounts section.</summary>
    public async Task AddExchangeAccountAsync(string exchange)
    {
        await OpenSectionAsync("Accounts");
        await Page.GetByLabel("Exchange", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = exchange });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Add exchange account" }).ClickAsync();
        await Expect(Status("Exchange account added.")).ToBeVisibleAsync();
    }

    /// <summary>Uploads <paramref name="csv"/> into <paramref name="account"/> through the import form and waits for the job's final status.</summary>
    public async Task<string> ImportAsync(string account, string fileName, byte[] csv)
    {
        await OpenSectionAsync("Import CSV");
        await Page.GetByLabel("CSV file (UTF-8)").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = csv });
        await Page.GetByLabel("Into account").SelectOptionAsync(new SelectOptionValue { Label = account });
        await Page.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
        var status = Page.Locator("#job-status");
        // The job page reloads itself until the job ends (a Refresh header, no script).
        await Expect(status).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(Succeeded|Failed)$"), new() { Timeout = 120_000 });
        return await status.InnerTextAsync();
    }
}
