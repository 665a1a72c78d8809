using System.Net;
using System.Net.Http.Headers;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>Under /v1 every error is a problem document with a stable code, never an HTML page, even when the client asks for HTML.</summary>
public sealed class ApiErrorTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData("/v1")]
    [InlineData("/v1/")]
    [InlineData("/v1/nothing-here")]
    [InlineData("/v1/users/me/more")]
    [InlineData("/v1/users/%C3%A9%E2%80%AE")]
    [InlineData("/V1/UNKNOWN")]
    public async Task AnUnknownRoute_Is404NotFound(string path)
    {
        using var http = factory.Backchannel();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await http.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.NotFound, "not_found");
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task AWrongMethod_Is405MethodNotAllowed(string method)
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/v1/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", app.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await http.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.MethodNotAllowed, "method_not_allowed");
        Assert.Contains("GET", response.Content.Headers.Allow);
    }

    [Fact]
    public async Task AnAuthenticationError_IsJsonEvenWhenHtmlIsAsked()
    {
        using var http = factory.Backchannel();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/workspace");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));

        using var response = await http.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
    }

    [Fact]
    public async Task PagesOutsideTheApi_KeepTheirHtmlErrorPages()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetAsync(new Uri("/no-such-page", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }
}
