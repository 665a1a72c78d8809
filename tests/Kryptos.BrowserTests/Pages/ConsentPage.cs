using Microsoft.Playwright;

namespace Kryptos.BrowserTests.Pages;

/// <summary><c>/oidc/auth</c> when Kryptos asks the user: which app, published by whom, which scopes, which workspace.</summary>
public sealed class ConsentPage(IPage page) : PortalPage(page)
{
    /// <summary>"{app} wants to access your Kryptos account".</summary>
    public ILocator Title => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    public ILocator Publisher => Page.GetByText("Published by the Kryptos workspace");

    /// <summary>One item per requested scope, in plain words.</summary>
    public ILocator Scopes => Page.Locator("ul.scopes > li");

    public ILocator Workspace(string name) => Page.GetByRole(AriaRole.Radio, new() { Name = name });

    public Task AllowAsync() => Page.GetByRole(AriaRole.Button, new() { Name = "Allow", Exact = true }).ClickAsync();

    public Task DenyAsync() => Page.GetByRole(AriaRole.Button, new() { Name = "Deny", Exact = true }).ClickAsync();
}
