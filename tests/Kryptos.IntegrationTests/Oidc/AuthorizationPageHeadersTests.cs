using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// The consent, error and logout pages of the authorization server cannot be framed (clickjacking a
/// consent), leak no referrer (codes and states in URLs), are not cached, and the authorization
/// endpoint answers no cross-origin request (OAuth 2.0 Security BCP, RFC 9700 §4.16).
/// </summary>
public sealed class AuthorizationPageHeadersTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task TheConsentPage_CannotBeFramed_LeaksNoReferrer_AndIsNotCached()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertProtected(response);
        Assert.True(response.Headers.CacheControl?.NoStore, "The consent page may be cached.");
    }

    [Fact]
    public async Task TheErrorPage_CannotBeFramed_AndLeaksNoReferrer()
    {
        using var browser = factory.NewClient();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl("kc_doesnotexist", Pkce.Create()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        AssertProtected(response);
    }

    [Fact]
    public async Task TheLogoutConfirmation_CannotBeFramed()
    {
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(new Uri("/oidc/session/end", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        AssertProtected(response);
    }

    [Fact]
    public async Task TheAuthorizationEndpoint_AnswersNoCrossOriginRequest()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        using var request = new HttpRequestMessage(HttpMethod.Options, new Uri(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), UriKind.Relative));
        request.Headers.Add("Origin", "https://app.example.com");
        request.Headers.Add("Access-Control-Request-Method", "GET");

        using var preflight = await server.SendAsync(request);
        using var get = new HttpRequestMessage(HttpMethod.Get, new Uri(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()), UriKind.Relative));
        get.Headers.Add("Origin", "https://app.example.com");
        using var response = await server.SendAsync(get);

        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static void AssertProtected(HttpResponseMessage response)
    {
        Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
        Assert.Equal("DENY", Header(response, "X-Frame-Options"));
        Assert.Equal("no-referrer", Header(response, "Referrer-Policy"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? Assert.Single(values) : throw new Xunit.Sdk.XunitException($"{name} is missing.");
}
