using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Portal;

/// <summary>The OAuth guide fills its examples with the developer's own client, and only theirs.</summary>
public sealed class OAuthGuideTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task ASignedInDeveloper_SeesExamplesWithTheirOwnClientIdAndRedirectUri()
    {
        var (_, developer) = await factory.SignedInUserAsync();
        var workspaceId = await developer.CreateWorkspaceAsync();
        var client = await developer.CreateClientAsync(workspaceId, "Guide App", redirectUris: "https://guide.example.com/signin");

        var page = await developer.GetPageAsync($"/docs/oauth?client={client.ClientId}");

        var text = page.Body!.TextContent;
        Assert.Contains($"client_id={client.ClientId}", text, StringComparison.Ordinal);
        Assert.Contains("redirect_uri=https%3A%2F%2Fguide.example.com%2Fsignin", text, StringComparison.Ordinal);
        Assert.Contains("https://localhost/oidc/token", text, StringComparison.Ordinal);
        // The issuer exactly as the server announces it: a strict client compares it as a string.
        var issuer = page.QuerySelectorAll("p").First(p => p.TextContent.StartsWith("Issuer ", StringComparison.Ordinal)).QuerySelector("code")!;
        Assert.Equal("https://localhost/oidc", issuer.TextContent);
        Assert.Contains("code_challenge_method=S256", text, StringComparison.Ordinal);
        Assert.DoesNotContain(client.Secret!, page.Source.Text, StringComparison.Ordinal);
        developer.Dispose();
    }

    [Fact]
    public async Task AnotherDevelopersClientId_IsNotShown()
    {
        var (_, alice) = await factory.SignedInUserAsync();
        var aliceClient = await alice.CreateClientAsync(await alice.CreateWorkspaceAsync(), "Alice App", redirectUris: "https://alice.example.com/cb");
        var (_, bob) = await factory.SignedInUserAsync();

        var page = await bob.GetPageAsync($"/docs/oauth?client={aliceClient.ClientId}");

        Assert.DoesNotContain(aliceClient.ClientId, page.Source.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("alice.example.com", page.Source.Text, StringComparison.Ordinal);
        Assert.Contains("YOUR_CLIENT_ID", page.Body!.TextContent, StringComparison.Ordinal);
        alice.Dispose();
        bob.Dispose();
    }

    [Fact]
    public async Task AnonymousVisitors_SeePlaceholders()
    {
        using var visitor = factory.NewClient();

        var page = await visitor.GetPageAsync("/docs/oauth");

        Assert.Contains("YOUR_CLIENT_ID", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains("scope=" + Uri.EscapeDataString(string.Join(' ', Kryptos.Connect.Core.KryptosScopes.Defaults)), page.Body.TextContent, StringComparison.Ordinal);
    }
}
