using System.Net;
using Kryptos.IntegrationTests.ConnectApi;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Usage;

/// <summary>
/// The person's view of metering: on their Connected apps page, what each app read of their data in
/// the last 30 days, per scope, when it last did, and a link to its access log. Only their own grants.
/// </summary>
public sealed class UserActivityTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task TheConnectedAppsPage_SaysWhatEachAppRead_PerScope_AndItsAccessLogListsTheCalls()
    {
        var app = await factory.ConnectAppAsync(userName: "Reader Person");
        using var http = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        for (var i = 0; i < 3; i++)
        {
            using var list = await http.GetApiAsync("/v1/transactions", app.AccessToken);
            Assert.Equal(HttpStatusCode.OK, list.StatusCode);
        }

        using (var holdings = await http.GetApiAsync("/v1/holdings", app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, holdings.StatusCode);
        }

        using (var missing = await http.GetApiAsync($"/v1/transactions/{Guid.NewGuid()}", app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        // 3 + 1 + 1 = 5 calls.
        await factory.MeteredAsync(app.Client.ClientId, 5);
        using var person = await factory.LoginAsync(app.User);
        var page = await person.GetPageAsync("/account/connected-apps");

        var card = page.QuerySelectorAll("main section.card").Single();
        Assert.Equal(["Read your transactions 3 times", "Read your portfolios and holdings once", "once refused (an error, a missing permission or a rate limit)"],
            card.QuerySelectorAll("ul.reads li").Select(li => li.TextContent.Trim()));
        Assert.EndsWith("UTC", card.QuerySelector("dd.last-read")!.TextContent.Trim(), StringComparison.Ordinal);
        var logLink = card.QuerySelector("a[href$='/access-log']")!.GetAttribute("href")!;

        var log = await person.GetPageAsync(logLink);
        var rows = log.QuerySelectorAll("#access-log tbody tr").Select(r => r.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(5, rows.Count);
        // Newest first: the refused lookup was the last call.
        Assert.Equal(["GET /v1/transactions/{id}", "404 error"], rows[0][1..]);
        Assert.Equal(["GET /v1/holdings", "200 OK"], rows[1][1..]);
        Assert.All(rows[2..], r => Assert.Equal(["GET /v1/transactions", "200 OK"], r[1..]));
        Assert.DoesNotContain(app.AccessToken, log.Body!.InnerHtml, StringComparison.Ordinal);

        // Someone else's grant is not there to see.
        var (_, stranger) = await factory.SignedInUserAsync();
        using var theirs = await stranger.Http.GetAsync(new Uri(logLink, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, theirs.StatusCode);
        stranger.Dispose();
    }

    [Fact]
    public async Task AnAppThatReadNothing_SaysSo()
    {
        var app = await factory.ConnectAppAsync(userName: "Quiet Person");
        using var person = await factory.LoginAsync(app.User);

        var page = await person.GetPageAsync("/account/connected-apps");

        var card = page.QuerySelectorAll("main section.card").Single();
        Assert.Equal("not in the last 30 days", card.QuerySelector("dd.last-read")!.TextContent.Trim());
        Assert.Contains("No calls.", card.TextContent, StringComparison.Ordinal);
        var log = await person.GetPageAsync(card.QuerySelector("a[href$='/access-log']")!.GetAttribute("href")!);
        Assert.Contains("No calls in the last 30 days", log.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await factory.WithDbAsync(db => db.UsageRecords.CountAsync(r => r.ClientId == app.Client.ClientId)));
    }
}
