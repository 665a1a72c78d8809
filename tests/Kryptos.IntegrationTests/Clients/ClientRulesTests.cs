using System.Net;
using AngleSharp.Html.Dom;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Clients;

/// <summary>The registration rules and who may manage clients, each with its rejection.</summary>
public sealed class ClientRulesTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData("http://app.example.com/callback", "only https")]
    [InlineData("https://app.example.com/callback#done", "fragment")]
    [InlineData("https://*.example.com/callback", "wildcard")]
    [InlineData("https://user:pass@app.example.com/callback", "user information")]
    [InlineData("/callback", "not an absolute URI")]
    [InlineData("javascript:alert(1)", "cannot be a redirect target")]
    [InlineData("myapp:/callback", "reverse domain name")]
    public async Task ABadRedirectUri_IsRefusedWithItsReason_AndTheFormKeepsItsValues(string uri, string reason)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var redirects = "https://good.example.com/callback\n" + uri;

        using var response = await owner.SubmitAsync($"/workspaces/{workspaceId}/clients/new", ClientIntents.Fields("Keep Me", redirectUris: redirects));

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        var error = page.QuerySelector("textarea[name='Form.RedirectUris'] ~ .field-validation-error")!.TextContent;
        Assert.Contains(uri, error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Equal("Keep Me", ((IHtmlInputElement)page.QuerySelector("input[name='Form.Name']")!).Value);
        Assert.Contains(uri, page.QuerySelector("textarea[name='Form.RedirectUris']")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await ClientCountAsync(workspaceId));
    }

    [Theory]
    [InlineData("https://app.example.com/callback")]
    [InlineData("http://127.0.0.1:8400/callback")]
    [InlineData("http://[::1]/callback")]
    [InlineData("http://localhost:3000/auth/callback")]
    [InlineData("com.example.app:/oauth2redirect")]
    public async Task AGoodRedirectUri_IsAccepted(string uri)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();

        var created = await owner.CreateClientAsync(workspaceId, redirectUris: uri, type: "public");

        var stored = await factory.WithDbAsync(db => db.OAuthClients.Where(c => c.ClientId == created.ClientId).Select(c => c.RedirectUris).SingleAsync());
        Assert.Contains(uri, stored!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MoreThanTenRedirectUris_AreRefused()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var uris = string.Join('\n', Enumerable.Range(1, 11).Select(i => $"https://app.example.com/cb{i}"));

        using var response = await owner.SubmitAsync($"/workspaces/{workspaceId}/clients/new", ClientIntents.Fields(redirectUris: uris));

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Contains("At most 10 redirect URIs", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await ClientCountAsync(workspaceId));
    }

    [Fact]
    public async Task NoRedirectUri_IsRefused()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();

        using var response = await owner.SubmitAsync($"/workspaces/{workspaceId}/clients/new", ClientIntents.Fields(redirectUris: "  "));

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Contains("Add at least one redirect URI", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScopesOutsideTheVocabulary_OrWithoutOpenId_AreRefused()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        using var response = await owner.PostDirectAsync($"/workspaces/{workspaceId}/clients/new",
        [
            new("Form.Name", "Greedy"),
            new("Form.Type", "confidential"),
            new("Form.RedirectUris", "https://app.example.com/cb"),
            new("Form.Scopes", "profile"),
            new("Form.Scopes", "admin:everything"),
        ]);

        var text = (await PortalClient.ReadPageAsync(response, HttpStatusCode.OK)).Body!.TextContent;
        Assert.Contains("\"admin:everything\" is not a Kryptos scope", text, StringComparison.Ordinal);
        Assert.Contains("The openid scope is required", text, StringComparison.Ordinal);
        Assert.Equal(0, await ClientCountAsync(workspaceId));
    }

    [Fact]
    public async Task AViewer_SeesClients_ButCannotCreateRotateOrDelete()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId, "Shared App");
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);

        var list = await viewer.GetPageAsync($"/workspaces/{workspaceId}/clients");
        Assert.Contains("Shared App", list.Body!.TextContent, StringComparison.Ordinal);
        Assert.Null(list.QuerySelector($"a[href='/workspaces/{workspaceId}/clients/new']"));
        using (var newPage = await viewer.Http.GetAsync($"/workspaces/{workspaceId}/clients/new"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, newPage.StatusCode);
        }

        var details = await viewer.GetPageAsync(created.DetailsUrl);
        Assert.Null(details.QuerySelector("form[action*='handler=Rotate']"));
        foreach (var handler in new[] { "Rotate", "Delete", "Disable" })
        {
            using var response = await viewer.PostDirectAsync($"{created.DetailsUrl}?handler={handler}", [new("grace", "none"), new("DeleteConfirmation", "Shared App")]);
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(1, await ClientCountAsync(workspaceId));
        Assert.False(await factory.WithDbAsync(db => db.OAuthClients.Where(c => c.ClientId == created.ClientId).Select(c => c.IsDisabled).SingleAsync()));
    }

    [Fact]
    public async Task AnEditor_CanCreateAClient()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var (_, editor) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Editor);

        var created = await editor.CreateClientAsync(workspaceId, "Editor's App");

        Assert.NotNull(created.Secret);
    }

    [Fact]
    public async Task AnUnverifiedAccount_CannotCreateClients()
    {
        var (_, unverified) = await factory.SignedInUserAsync(verified: false);
        var workspaceId = await unverified.CreateWorkspaceAsync();

        using var page = await unverified.Http.GetAsync($"/workspaces/{workspaceId}/clients/new");
        Assert.Equal(HttpStatusCode.Forbidden, page.StatusCode);
        Assert.Contains("Verify your email", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var post = await unverified.PostDirectAsync($"/workspaces/{workspaceId}/clients/new", ClientIntents.Fields());
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(0, await ClientCountAsync(workspaceId));
    }

    [Fact]
    public async Task AnotherWorkspacesClient_IsNotFound()
    {
        var (_, alice) = await factory.SignedInUserAsync();
        var aliceWorkspace = await alice.CreateWorkspaceAsync("Alice Co");
        var alicesClient = await alice.CreateClientAsync(aliceWorkspace);
        var (_, mallory) = await factory.SignedInUserAsync();
        var malloryWorkspace = await mallory.CreateWorkspaceAsync("Mallory Co");

        using (var direct = await mallory.Http.GetAsync(alicesClient.DetailsUrl))
        {
            Assert.Equal(HttpStatusCode.NotFound, direct.StatusCode);
        }

        using (var throughOwnWorkspace = await mallory.Http.GetAsync($"/workspaces/{malloryWorkspace}/clients/{alicesClient.ClientId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, throughOwnWorkspace.StatusCode);
        }

        using (var list = await mallory.Http.GetAsync($"/workspaces/{aliceWorkspace}/clients"))
        {
            Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        }
    }

    private Task<int> ClientCountAsync(Guid workspaceId) =>
        factory.WithDbAsync(db => db.OAuthClients.CountAsync(c => c.WorkspaceId == workspaceId));
}
