using System.Net;
using System.Net.Http.Headers;
using Kryptos.BrowserTests.Infrastructure;

namespace Kryptos.BrowserTests;

/// <summary>Limits that only a real Kestrel server shows (TestServer has no connection or body limits).</summary>
[Collection(BrowserCollectionDefinition.Name)]
public sealed class RequestSizeLimitTests(BrowserFixture fixture)
{
    [Fact]
    public async Task PostOverTheBodyLimit_Gets413()
    {
        using var http = new HttpClient { BaseAddress = fixture.BaseAddress };
        using var body = new ByteArrayContent(new byte[2 * 1024 * 1024]);
        body.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");

        using var response = await http.PostAsync(new Uri("/account/login", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }
}
