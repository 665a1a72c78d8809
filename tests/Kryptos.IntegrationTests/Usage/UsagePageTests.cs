using System.Net;
using System.Text;
using Kryptos.IntegrationTests.ConnectApi;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.IntegrationTests.Usage;

/// <summary>The workspace's usage page: chart, totals, breakdowns, empty state, filters, tenancy and the CSV export.</summary>
public sealed class UsagePageTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task UsagePage_ChartsAndCountsTheCallsOfTheWorkspacesClients()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync(new ClientSpec(Name: "=SUM(1+1) Ledger"));
        using (developer)
        {
            var workspaceId = WorkspaceOf(client.DetailsUrl);
            var user = await factory.NewUserAsync();
            using var server = factory.Backchannel();
            var tokens = await factory.TokensAsync(server, client, user, "openid users:read");
            using var http = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
            for (var i = 0; i < 3; i++)
            {
                using var ok = await http.GetApiAsync("/v1/users/me", tokens.AccessToken);
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            using (var forbidden = await http.GetApiAsync("/v1/holdings", tokens.AccessToken))
            {
                Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
            }

            await factory.MeteredAsync(client.ClientId, 4);

            var page = await developer.GetPageAsync($"/workspaces/{workspaceId}/usage");
            var svg = page.QuerySelector("svg#usage-chart");
            Assert.NotNull(svg);
            Assert.Equal("Requests per hour, last 24 hours", svg.QuerySelector("title")!.TextContent);
            var axisLabels = svg.QuerySelectorAll("text.axis-label").Select(t => t.TextContent).ToList();
            Assert.Equal(["Requests per hour", "Time (UTC)"], axisLabels);
            // 4 requests: 3 successes and one 403 → 75 % success, one 4xx, no 5xx or 429.
            Assert.Equal("4", Total(page, "requests"));
            Assert.Equal("75 %", Total(page, "success-rate"));
            Assert.Equal("1", Total(page, "4xx"));
            Assert.Equal("0", Total(page, "5xx"));
            Assert.Equal("0", Total(page, "429"));
            Assert.EndsWith(" ms", Total(page, "p95"), StringComparison.Ordinal);
            // The current hour's bar (the last one) holds the four calls: 3 green, 1 red.
            var table = page.QuerySelectorAll("#usage-table tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent).ToList()).ToList();
            Assert.Equal(24, table.Count);
            Assert.Equal(["3", "1", "0", "4"], table[^1].Skip(1));
            Assert.All(table.SkipLast(1), row => Assert.Equal("0", row[4]));

            var endpoints = Rows(page, "#top-endpoints");
            Assert.Equal([["GET /v1/users/me", "3", "0"], ["GET /v1/holdings", "1", "1"]], endpoints.Select(r => r.Take(3).ToList()));
            var perClient = Rows(page, "#per-client");
            Assert.Equal(["=SUM(1+1) Ledger", "4", "1"], perClient.Single().Take(3));
            Assert.Equal("1", perClient.Single()[4]);
            Assert.Equal("1", Rows(page, "#active-grants").Single()[1]);
            Assert.Null(page.QuerySelector("#per-key"));

            // The dashboard's card and the client's own page show the same numbers.
            var dashboard = await developer.GetPageAsync($"/workspaces/{workspaceId}");
            Assert.Equal("4", dashboard.QuerySelector("#dashboard-usage [data-total='requests']")!.TextContent);
            Assert.Equal("75 %", dashboard.QuerySelector("#dashboard-usage [data-total='success-rate']")!.TextContent);
            Assert.NotNull(dashboard.QuerySelector("nav.tabs a[href$='/usage']"));
            var details = await developer.GetPageAsync(client.DetailsUrl);
            Assert.Equal("4", details.QuerySelector("#client-usage [data-total='requests']")!.TextContent);
            Assert.Equal("1", details.QuerySelector("#client-usage [data-total='errors']")!.TextContent);
            Assert.NotNull(details.QuerySelector($"a[href='/workspaces/{workspaceId}/usage?range=7d&client={client.ClientId}']"));

            // Filtered by the client: the same calls; the 7-day range has 7 daily bars.
            var filtered = await developer.GetPageAsync($"/workspaces/{workspaceId}/usage?range=7d&client={client.ClientId}");
            Assert.Equal("4", Total(filtered, "requests"));
            Assert.Equal(7, filtered.QuerySelectorAll("#usage-table tbody tr").Length);

            // The export: one row per bucket, the formula-looking client name escaped (an apostrophe in front, quoted by CsvHelper).
            using var export = await developer.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/usage/export?range=24h", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, export.StatusCode);
            Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
            var lines = Encoding.UTF8.GetString(await export.Content.ReadAsByteArrayAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("start,granularity,client_id,client_name,api_key,route,status,requests,latency_mean_ms,latency_p50_ms,latency_p95_ms", lines[0]);
            Assert.Equal(3, lines.Length);
            Assert.True(lines.Any(l => l.Contains($",hour,{client.ClientId},\"'=SUM(1+1) Ledger\",,GET /v1/users/me,200,3,", StringComparison.Ordinal)), string.Join("\n", lines));
            Assert.Contains(lines, l => l.Contains($",hour,{client.ClientId},\"'=SUM(1+1) Ledger\",,GET /v1/holdings,403,1,", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task UsagePage_WithoutCalls_SaysSo()
    {
        var (_, developer) = await factory.SignedInUserAsync();
        using (developer)
        {
            var workspaceId = await developer.CreateWorkspaceAsync("Quiet Books");
            var page = await developer.GetPageAsync($"/workspaces/{workspaceId}/usage");
            Assert.Null(page.QuerySelector("svg#usage-chart"));
            var dashboard = await developer.GetPageAsync($"/workspaces/{workspaceId}");
            Assert.Equal("No API calls in the last 24 hours", dashboard.QuerySelector("#usage-heading + .empty h3")!.TextContent);
            Assert.Equal("No API calls in the last 24 hours", page.QuerySelector("#usage-empty h4")!.TextContent);
            var month = await developer.GetPageAsync($"/workspaces/{workspaceId}/usage?range=30d");
            Assert.Equal("No API calls in the last 30 days", month.QuerySelector("#usage-empty h4")!.TextContent);
            Assert.Equal("0", Total(month, "requests"));
            Assert.Equal("–", Total(month, "p95"));
        }
    }

    [Fact]
    public async Task OtherWorkspaces_AndBadFilters_AreRefused()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        var (_, stranger) = await factory.SignedInUserAsync();
        using (developer)
        using (stranger)
        {
            var workspaceId = WorkspaceOf(client.DetailsUrl);
            var strangerWorkspace = await stranger.CreateWorkspaceAsync("Elsewhere");
            await Status(stranger, $"/workspaces/{workspaceId}/usage", HttpStatusCode.NotFound);
            await Status(stranger, $"/workspaces/{workspaceId}/usage/export", HttpStatusCode.NotFound);
            // Another workspace's client is not a filter of one's own page.
            await Status(stranger, $"/workspaces/{strangerWorkspace}/usage?client={client.ClientId}", HttpStatusCode.NotFound);
            await Status(stranger, $"/workspaces/{strangerWorkspace}/usage/export?client={client.ClientId}", HttpStatusCode.NotFound);
            await Status(developer, $"/workspaces/{workspaceId}/usage?range=1y", HttpStatusCode.BadRequest);
            await Status(developer, $"/workspaces/{workspaceId}/usage?range=%00", HttpStatusCode.BadRequest);
            await Status(developer, $"/workspaces/{workspaceId}/usage?key=not-a-guid", HttpStatusCode.NotFound);
            await Status(developer, $"/workspaces/{workspaceId}/usage?client=" + new string('x', 5000), HttpStatusCode.NotFound);
            await Status(developer, $"/workspaces/{workspaceId}/usage?key={Guid.NewGuid()}", HttpStatusCode.OK);
        }
    }

    private static async Task Status(PortalClient client, string url, HttpStatusCode expected)
    {
        using var response = await client.Http.GetAsync(new Uri(url, UriKind.Relative));
        Assert.True(response.StatusCode == expected, $"{url}: expected {(int)expected}, got {(int)response.StatusCode}");
    }

    private static Guid WorkspaceOf(string detailsUrl) => Guid.Parse(detailsUrl.Split('/')[2]);

    private static string Total(AngleSharp.Html.Dom.IHtmlDocument page, string name) =>
        page.QuerySelector($"#usage-totals [data-total='{name}']")!.TextContent.Trim();

    private static List<List<string>> Rows(AngleSharp.Html.Dom.IHtmlDocument page, string table) =>
        [.. page.QuerySelectorAll($"{table} tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList())];
}
