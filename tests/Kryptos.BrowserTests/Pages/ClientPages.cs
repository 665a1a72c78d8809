using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

public partial class WorkspacePage
{
    public async Task<ClientsPage> OpenClientsAsync()
    {
        await Tabs.GetByRole(AriaRole.Link, new() { Name = "OAuth clients" }).ClickAsync();
        var clients = new ClientsPage(Page);
        await Expect(clients.Page.GetByRole(AriaRole.Heading, new() { Name = "OAuth clients", Level = 2 })).ToBeVisibleAsync();
        return clients;
    }
}

/// <summary><c>/workspaces/{id}/clients</c>.</summary>
public sealed class ClientsPage(IPage page) : WorkspacePage(page)
{
    public async Task<NewClientPage> StartNewClientAsync()
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = "Create client" }).ClickAsync();
        var next = new NewClientPage(Page);
        await Expect(next.Page.GetByRole(AriaRole.Heading, new() { Name = "Create an OAuth client", Level = 2 })).ToBeVisibleAsync();
        return next;
    }
}

/// <summary><c>/workspaces/{id}/clients/new</c>.</summary>
public sealed class NewClientPage(IPage page) : WorkspacePage(page)
{
    /// <summary>
    /// Fills the form as a developer would (the default scopes stay as preselected) and creates the
    /// client; lands on its details page, which shows the secret once for a confidential client.
    /// </summary>
    public async Task<ClientDetailsPage> CreateAsync(
        string name,
        IEnumerable<string> redirectUris,
        IEnumerable<string>? postLogoutRedirectUris = null,
        bool confidential = true)
    {
        await Page.GetByLabel("Client name").FillAsync(name);
        await Page.GetByRole(AriaRole.Radio, new() { Name = confidential ? "Web server app (confidential)" : "Single-page, native or CLI app (public)" }).CheckAsync();
        await Page.GetByLabel("Redirect URIs", new() { Exact = true }).FillAsync(string.Join('\n', redirectUris));
        await Page.GetByRole(AriaRole.Textbox, new() { Name = "Post-logout redirect URIs" }).FillAsync(string.Join('\n', postLogoutRedirectUris ?? []));
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create client" }).ClickAsync();
        var details = new ClientDetailsPage(Page);
        await Expect(details.Page.GetByRole(AriaRole.Heading, new() { Name = confidential ? "Your client is ready" : name, Level = 2 })).ToBeVisibleAsync();
        return details;
    }
}

/// <summary><c>/workspaces/{id}/clients/{clientId}</c>: credentials, secrets, rotation, settings.</summary>
public sealed class ClientDetailsPage(IPage page) : WorkspacePage(page)
{
    public ILocator ClientId => Page.Locator("#client-id");

    /// <summary>The secret shown once, right after creation or rotation.</summary>
    public ILocator NewSecret => Page.Locator("#new-client-secret");

    public ILocator CopyNewSecretButton => Page.Locator("button[data-copy='new-client-secret']");

    public ILocator SecretsTable => Page.GetByRole(AriaRole.Region, new() { Name = "Client secrets" }).GetByRole(AriaRole.Table);

    public ILocator SecretRows => SecretsTable.Locator("tbody tr");

    /// <summary>The rows of the secrets table whose status is "active".</summary>
    public ILocator ActiveSecretRows => SecretRows.Filter(new() { Has = Page.GetByRole(AriaRole.Cell, new() { Name = "active", Exact = true }) });

    /// <summary>Rotates the secret, keeping the current one valid for <paramref name="grace"/> (<c>none</c>, <c>1h</c>, <c>24h</c>, <c>7d</c>).</summary>
    public async Task RotateSecretAsync(string grace)
    {
        await Page.GetByLabel("Keep the current secret working for").SelectOptionAsync(grace);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Rotate secret" }).ClickAsync();
        await Expect(Page.GetByRole(AriaRole.Heading, new() { Name = "Your new client secret", Level = 2 })).ToBeVisibleAsync();
    }
}
