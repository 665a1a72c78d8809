using System.Net;
using System.Text.RegularExpressions;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>The interactive reference is served by us, under a CSP relaxed for that page only.</summary>
public sealed partial class ApiReferencePageTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task ThePage_LoadsOnlyOurOwnScripts_WithANoncedPolicy_AndOurOAuthEndpoints()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetAsync(new Uri("/docs/api/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = NoncePolicy().Match(csp).Groups["nonce"].Value;
        Assert.False(string.IsNullOrEmpty(nonce), csp);
        Assert.All(ScriptTag().Matches(html), tag => Assert.Contains($"nonce=\"{nonce}\"", tag.Value, StringComparison.Ordinal));
        Assert.DoesNotContain("unsafe-eval", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        // Fonts, telemetry, the AI agent and MCP are off; the OAuth flow is ours, with PKCE S256 and the demo client.
        Assert.Contains("\"withDefaultFonts\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"telemetry\":false", html, StringComparison.Ordinal);
        Assert.Contains("\"authorizationUrl\":\"https://localhost/oidc/auth\"", html, StringComparison.Ordinal);
        Assert.Contains("\"tokenUrl\":\"https://localhost/oidc/token\"", html, StringComparison.Ordinal);
        Assert.Contains("\"x-usePkce\":\"SHA-256\"", html, StringComparison.Ordinal);
        Assert.Contains("\"x-scalar-client-id\":\"kc_api_reference_demo\"", html, StringComparison.Ordinal);
        Assert.DoesNotMatch(ExternalUrl(), html.Replace("https://localhost", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OtherPages_KeepTheStrictPolicy()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetAsync(new Uri("/account/login", UriKind.Relative));

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("style-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("nonce-", csp, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScalarsScript_IsServedByUs()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetAsync(new Uri("/docs/api/scalar.js", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Content.ReadAsByteArrayAsync()).Length > 100_000);
    }

    [GeneratedRegex("script-src 'self' 'nonce-(?<nonce>[A-Za-z0-9+/=_-]+)'")]
    private static partial Regex NoncePolicy();

    [GeneratedRegex("<script[^>]*>")]
    private static partial Regex ScriptTag();

    [GeneratedRegex("(src|href)=\"https?://")]
    private static partial Regex ExternalUrl();
}
