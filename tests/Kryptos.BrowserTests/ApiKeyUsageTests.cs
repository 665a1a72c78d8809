using System.Net;
using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>
/// The enterprise path of issue 9: a developer creates an API key in the portal, their server calls
/// the Connect API with it, the calls appear in the workspace's usage chart, and revoking the key
/// stops it.
/// </summary>
public sealed class ApiKeyUsageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Developer_CreatesAKey_CallsTheApiWithIt_SeesTheCallsInTheUsageChart_AndRevokesIt() => InBrowserAsync(async page =>
    {
        var developer = Person.New("Mary Jackson", "keys");
        var workspace = await Journeys.DeveloperWithWorkspaceAsync(page, developer, "Jackson Ledger");
        var basePath = $"/workspaces/{workspace.Id}";

        await workspace.Tabs.GetByRole(AriaRole.Link, new() { Name = "API keys" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/keys$"));
        await page.GotoAsync($"{basePath}/keys/new");
        await page.GetByLabel("Name").FillAsync("Reporting server");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create API key" }).ClickAsync();

        // Shown once, as selectable text.
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("shown only once");
        var key = await page.Locator("#new-api-key").InputValueAsync();
        Assert.StartsWith("kryptos_live_", key, StringComparison.Ordinal);
        var keyPage = page.Url;

        // The developer's server: three calls with the key in the X-API-Key header.
        using var server = new HttpClient { BaseAddress = BaseAddress };
        for (var i = 0; i < 3; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/workspace");
            request.Headers.Add("X-API-Key", key);
            using var response = await server.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains("Jackson Ledger", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        // Metering is written in batches: the usage page shows the calls within a few seconds.
        await page.GotoAsync($"{basePath}/usage");
        for (var attempt = 0; attempt < 20 && !(await page.Locator("#usage-chart").IsVisibleAsync()); attempt++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        var chart = page.Locator("#usage-chart");
        await Expect(chart).ToBeVisibleAsync();
        await Expect(chart.Locator("title").First).ToContainTextAsync("Requests per hour");
        await Expect(chart.Locator("text.axis-label")).ToHaveTextAsync(["Requests per hour", "Time (UTC)"]);
        // The current hour's bar: three successful calls.
        await Expect(chart.Locator("g > title").Last).ToContainTextAsync("3 successful, 0 errors, 0 rate limited");
        await Expect(page.Locator("#usage-totals")).ToContainTextAsync("3");
        await Expect(page.GetByRole(AriaRole.Table).Filter(new() { HasText = "Reporting server" })).ToContainTextAsync(key[..17] + "…" + key[^4..]);

        // Revoked, the key stops working within seconds.
        // The key's own page shows its numbers too.
        await page.GotoAsync(keyPage.Split('?')[0]);
        await Expect(page.Locator("#key-usage [data-total='requests']")).ToHaveTextAsync("3");
        await page.GetByLabel("I understand that requests with this key will be refused").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).ClickAsync();
        var status = HttpStatusCode.OK;
        for (var attempt = 0; attempt < 25 && status == HttpStatusCode.OK; attempt++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/workspace");
            request.Headers.Add("X-API-Key", key);
            using var response = await server.SendAsync(request);
            status = response.StatusCode;
            if (status == HttpStatusCode.OK)
            {
                await Task.Delay(200);
            }
        }

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    });
}
