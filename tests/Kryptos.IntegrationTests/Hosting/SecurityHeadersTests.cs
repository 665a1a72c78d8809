using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>Pages cannot be framed, leak no referrer and are not MIME-sniffed.</summary>
public sealed class SecurityHeadersTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)]
    [InlineData("/account/signup", HttpStatusCode.OK)]
    [InlineData("/account/reset-password?userId=x&code=y", HttpStatusCode.OK)]
    [InlineData("/account/confirm-email?userId=x&code=y", HttpStatusCode.BadRequest)]
    [InlineData("/no/such/page", HttpStatusCode.NotFound)]
    public async Task Pages_CarryTheSecurityHeaders(string path, HttpStatusCode status)
    {
        using var client = factory.NewClient();

        using var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(status, response.StatusCode);
        var csp = Header(response, "Content-Security-Policy");
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
        Assert.Equal("nosniff", Header(response, "X-Content-Type-Options"));
    }

    [Fact]
    public async Task AuthorizationEndpoint_AllowsOneInlineScript_OpenIddictsFormPostAutoSubmit()
    {
        using var client = factory.NewClient();

        using var authorization = await client.Http.GetAsync(new Uri("/oidc/auth?client_id=unknown", UriKind.Relative));
        using var login = await client.Http.GetAsync(new Uri("/account/login", UriKind.Relative));

        // The hash Chromium asks for when it blocks OpenIddict's <script>document.form.submit();</script>
        // (response_mode=form_post, the default of ASP.NET Core's OpenID Connect handler).
        Assert.Contains("script-src 'self' 'sha256-j7OoGArf6XW6YY4cAyS3riSSvrJRqpSi1fOF9vQ5SrI=';", Header(authorization, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", Header(login, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", Header(authorization, "Content-Security-Policy"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task LoginPage_LoadsNoThirdPartyResources()
    {
        using var client = factory.NewClient();

        var page = await client.GetPageAsync("/account/login");

        var sources = page.QuerySelectorAll("script[src], link[href], img[src]")
            .Select(e => e.GetAttribute("src") ?? e.GetAttribute("href")!)
            .ToList();
        Assert.NotEmpty(sources);
        Assert.All(sources, s => Assert.StartsWith("/", s, StringComparison.Ordinal));
        Assert.All(sources, s => Assert.False(s.StartsWith("//", StringComparison.Ordinal), s));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? Assert.Single(values)
            : throw new Xunit.Sdk.XunitException($"{name} is missing.");
}
