using System.Net;
using AngleSharp.Html.Dom;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Clients;

public sealed record CreatedClient(string ClientId, string? Secret, string DetailsUrl);

/// <summary>Intents for OAuth client management, through the portal's real forms.</summary>
public static class ClientIntents
{
    public const string DefaultRedirectUri = "https://app.example.com/callback";

    public static Dictionary<string, string> Fields(string name = "Acme Tax", string type = "confidential", string redirectUris = DefaultRedirectUri) => new()
    {
        ["Form.Name"] = name,
        ["Form.Type"] = type,
        ["Form.RedirectUris"] = redirectUris,
    };

    /// <summary>Creates a client with the default scopes and returns what the page showed once.</summary>
    public static async Task<CreatedClient> CreateClientAsync(this PortalClient client, Guid workspaceId, string name = "Acme Tax", string type = "confidential", string redirectUris = DefaultRedirectUri)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.SubmitAsync($"/workspaces/{workspaceId}/clients/new", Fields(name, type, redirectUris));
        client.AssertStatus(HttpStatusCode.Redirect, response);
        var detailsUrl = response.Headers.Location!.OriginalString;
        var page = await client.GetPageAsync(detailsUrl);
        var secret = (page.QuerySelector("#new-client-secret") as IHtmlInputElement)?.Value;
        var clientId = ((IHtmlInputElement)page.QuerySelector("#client-id")!).Value;
        return new CreatedClient(clientId, secret, detailsUrl);
    }

    public static async Task<string> RotateSecretAsync(this PortalClient client, CreatedClient created, string grace = "24h")
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(created);
        using var response = await client.SubmitAsync(created.DetailsUrl, new Dictionary<string, string> { ["grace"] = grace }, "form[action*='handler=Rotate']");
        client.AssertStatus(HttpStatusCode.Redirect, response);
        var page = await client.GetPageAsync(created.DetailsUrl);
        return ((IHtmlInputElement)page.QuerySelector("#new-client-secret")!).Value;
    }

    /// <summary>Presses "Enable client" on the page of a disabled client.</summary>
    public static async Task EnableClientAsync(this PortalClient developer, CreatedClient client)
    {
        ArgumentNullException.ThrowIfNull(developer);
        ArgumentNullException.ThrowIfNull(client);
        using var response = await developer.SubmitAsync(client.DetailsUrl, formSelector: "form[action*='handler=Enable']");
        developer.AssertStatus(System.Net.HttpStatusCode.Redirect, response);
    }
}
