using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>Session and antiforgery cookies: HttpOnly, Secure, SameSite.</summary>
public sealed class CookieTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task SessionCookie_IsHttpOnlySecureAndSameSiteLax()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClient();

        using var response = await client.LoginAsync(user);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var attributes = CookieAttributes(response, "__Host-kryptos.session");
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=lax", attributes);
        Assert.Contains("path=/", attributes);
        Assert.DoesNotContain(attributes, a => a.StartsWith("domain=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AntiforgeryCookie_IsHttpOnlySecureAndSameSiteStrict()
    {
        using var client = factory.NewClient();

        using var response = await client.Http.GetAsync(new Uri("/account/login", UriKind.Relative));

        var attributes = CookieAttributes(response, "__Host-kryptos.antiforgery");
        Assert.Contains("httponly", attributes);
        Assert.Contains("secure", attributes);
        Assert.Contains("samesite=strict", attributes);
    }

    /// <summary>The attributes of the Set-Cookie for <paramref name="name"/>, lower-cased, value left out.</summary>
    private static List<string> CookieAttributes(HttpResponseMessage response, string name)
    {
        var header = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(name + "=", StringComparison.Ordinal));
        return [.. header.Split(';').Skip(1).Select(a => a.Trim().ToLowerInvariant())];
    }
}
