using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>
/// Hostile query strings and ids on every /v1 read, on SQLite and on PostgreSQL (which refuses a NUL
/// character in any text it is sent, where SQLite stores it): a clear 400 problem or a 404, never a
/// 500. Unknown parameters are ignored.
/// </summary>
public sealed class HostileQueryTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private static readonly string[] Routes =
    [
        "/v1/users/me", "/v1/workspace", "/v1/integrations", "/v1/transactions", "/v1/holdings", "/v1/portfolios",
        "/v1/tax/2024/summary", "/v1/tax/2024/disposals", "/v1/ledgers", "/v1/reports", "/v1/providers",
    ];

    private static readonly string[] Parameters =
    [
        "integration", "asset", "type", "label", "from", "to", "term", "year", "cursor", "limit", "starting_after", "currency", "kind",
    ];

    public static TheoryData<string> HostileValues => ["a%00b", "%00", "%C0%80", "%FF%FE", "x".PadRight(5000, 'x'), "%E2%80%AE", "1e999999", "-1"];

    [Theory]
    [MemberData(nameof(HostileValues))]
    public async Task AHostileValueInAnyParameter_IsNeverA500(string value)
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        foreach (var route in Routes)
        {
            foreach (var parameter in Parameters)
            {
                using var response = await http.GetApiAsync($"{route}?{parameter}={value}", app.AccessToken);
                Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest,
                    $"{route}?{parameter}={value[..Math.Min(value.Length, 20)]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{factory.LoggedErrors}");
                if (response.StatusCode == HttpStatusCode.BadRequest)
                {
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }

                if (value.Contains("%00", StringComparison.Ordinal))
                {
                    Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
                    Assert.Contains("\"invalid_request\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                }
            }
        }
    }

    [Theory]
    // (A NUL in the path never reaches the app: Kestrel refuses it, and TestServer's client cannot send it.)
    [InlineData("/v1/transactions/%C0%80")]
    [InlineData("/v1/reports/%E2%80%AE%FF")]
    [InlineData("/v1/reports/x/download")]
    [InlineData("/v1/tax/%C0%80/summary")]
    [InlineData("/v1/tax/99999999999999999999/disposals")]
    [InlineData("/v1/transactions/00000000-0000-0000-0000-000000000000")]
    public async Task AHostileId_IsA404OrA400_NeverA500(string path)
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync(path, app.AccessToken);

        Assert.True(response.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest,
            $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}\n{factory.LoggedErrors}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/account/login?returnUrl=%00")]
    [InlineData("/account/login?a%00=1")]
    [InlineData("/docs/oauth?x=a%00b")]
    public async Task ANulInAPagesQueryString_IsTheBadRequestPage(string path)
    {
        using var browser = factory.NewClient();

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Bad request", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
