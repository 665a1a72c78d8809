using System.Net;
using System.Net.Http.Headers;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>Request bodies are limited to 1 MiB, far below Kestrel's ~28 MB default.</summary>
public sealed class RequestSizeLimitTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const int OneMebibyte = 1024 * 1024;

    [Theory]
    [InlineData("/account/login")]
    [InlineData("/health/live")]
    public async Task BodyOverOneMebibyte_Is413(string path)
    {
        using var client = factory.NewClient();
        using var body = Body(OneMebibyte + 1);

        using var response = await client.Http.PostAsync(new Uri(path, UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task BodyOfExactlyOneMebibyte_IsAccepted()
    {
        using var client = factory.NewClient();
        using var body = Body(OneMebibyte);

        using var response = await client.Http.PostAsync(new Uri("/health/live", UriKind.Relative), body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static ByteArrayContent Body(int length)
    {
        var content = new ByteArrayContent(new byte[length]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        Assert.Equal(length, content.Headers.ContentLength);
        return content;
    }
}
