using System.Net;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Browser apps may call the token endpoint from the origins their client registered, and from no
/// other; discovery and JWKS are public; the authorization endpoint never answers CORS.
/// </summary>
public sealed class CorsTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const string SpaOrigin = "https://spa.example.com";

    [Fact]
    public async Task TheTokenEndpoint_AnswersAPreflightFromARegisteredOrigin_AndNoOther()
    {
        await RegisterSpaAsync();
        using var http = factory.Backchannel();

        using var allowed = await PreflightAsync(http, "/oidc/token", SpaOrigin);
        using var refused = await PreflightAsync(http, "/oidc/token", "https://evil.example.com");

        Assert.Equal(SpaOrigin, Header(allowed, "Access-Control-Allow-Origin"));
        Assert.Contains("POST", Header(allowed, "Access-Control-Allow-Methods"), StringComparison.Ordinal);
        Assert.Null(Header(refused, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task ATokenResponse_CarriesTheOriginHeader_ForARegisteredOrigin()
    {
        await RegisterSpaAsync();
        using var http = factory.Backchannel();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/token")
        {
            Content = new FormUrlEncodedContent([new("grant_type", "authorization_code"), new("code", "nope"), new("client_id", "kc_unknown")]),
        };
        request.Headers.Add("Origin", SpaOrigin);

        using var response = await http.SendAsync(request);

        // Even an error must be readable by the app, or it cannot tell the user what went wrong.
        Assert.Equal(SpaOrigin, Header(response, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AnOriginStopsWorking_WhenItsClientIsDisabled()
    {
        var (developer, client, origin) = await RegisterSpaAsync("https://disabled-spa.example.com");
        await developer.DisableClientAsync(client);
        using var http = factory.Backchannel();

        using var preflight = await PreflightAsync(http, "/oidc/token", origin);

        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
        developer.Dispose();
    }

    [Fact]
    public async Task TheAuthorizationEndpoint_NeverAnswersCors()
    {
        await RegisterSpaAsync();
        using var http = factory.Backchannel();

        using var preflight = await PreflightAsync(http, "/oidc/auth", SpaOrigin);

        Assert.Null(Header(preflight, "Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task DiscoveryAndJwks_ArePublicDocuments()
    {
        using var http = factory.Backchannel();
        foreach (var path in new[] { "/oidc/.well-known/openid-configuration", "/oidc/jwks" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Add("Origin", "https://anyone.example.com");
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("*", Header(response, "Access-Control-Allow-Origin"));
        }
    }

    private async Task<(PortalClient Developer, CreatedClient Client, string Origin)> RegisterSpaAsync(string origin = SpaOrigin)
    {
        var (_, developer) = await factory.SignedInUserAsync();
        var workspaceId = await developer.CreateWorkspaceAsync();
        var fields = ClientIntents.Fields("Browser App", "public", "https://spa.example.com/callback");
        fields["Form.AllowedOrigins"] = origin;
        using var response = await developer.SubmitAsync($"/workspaces/{workspaceId}/clients/new", fields);
        developer.AssertStatus(HttpStatusCode.Redirect, response);
        var page = await developer.GetPageAsync(response.Headers.Location!.OriginalString);
        var clientId = ((AngleSharp.Html.Dom.IHtmlInputElement)page.QuerySelector("#client-id")!).Value;
        return (developer, new CreatedClient(clientId, null, response.Headers.Location!.OriginalString), origin);
    }

    private static async Task<HttpResponseMessage> PreflightAsync(HttpClient http, string path, string origin)
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", origin);
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "content-type");
        return await http.SendAsync(request);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? string.Join(",", values) : null;
}
