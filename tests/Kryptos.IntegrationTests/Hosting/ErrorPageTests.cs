using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>Errors show the product's own page and nothing of its internals.</summary>
public sealed class ErrorPageTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData("/no/such/page")]
    [InlineData("/workspaces/not-a-guid/members/nothing")]
    public async Task UnknownPage_Is404WithTheFriendlyPageAndNoStackTrace(string path)
    {
        using var client = factory.NewClient();

        using var response = await client.Http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        var page = await PortalClient.ReadPageAsync(response);
        Assert.Equal("Page not found", page.QuerySelector("h1")!.TextContent);
        Assert.Contains("Error 404", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("stack", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(" at Kryptos.", html, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Microsoft.", html, StringComparison.Ordinal);
    }
}
