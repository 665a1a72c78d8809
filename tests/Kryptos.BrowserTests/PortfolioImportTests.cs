using System.Globalization;
using System.Text;
using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>Issue "Connect API": a user imports a CSV in their account and sees the holdings change.</summary>
public sealed class PortfolioImportTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string Header = "id,time,type,label,in_asset,in_quantity,in_price,out_asset,out_quantity,out_price,fee_asset,fee_quantity,fee_price,currency,counterpart,description";

    [Fact]
    public Task User_ImportsCsvFiles_AndSeesTheHoldingsQuantityChange() => InBrowserAsync(async page =>
    {
        var person = Person.New("Grace Hopper", "portfolio");
        var workspace = await Journeys.DeveloperWithWorkspaceAsync(page, person, "Hopper Books");
        var portfolio = await PortfolioPage.OpenFromAsync(workspace);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No holdings yet" })).ToBeVisibleAsync();
        await portfolio.AddExchangeAccountAsync("Kraken");

        // First file: one deposit of 1 BTC, imported during the upload.
        var first = Encoding.UTF8.GetBytes(Header + "\nd-1,2024-01-02T09:00:00Z,Deposit,Deposit,BTC,1,40000,,,,,,,,,Opening balance\n");
        Assert.Equal("Succeeded", await portfolio.ImportAsync("Kraken", "opening.csv", first));
        await page.GetByRole(AriaRole.Link, new() { Name = "See the holdings" }).ClickAsync();
        await Expect(portfolio.HoldingRow("BTC").Locator("td").First).ToHaveTextAsync("1");

        // Second file: 250 buys of 0.01 BTC, more rows than are imported inline, so the background
        // worker runs it while the job page reloads itself. 1 + 250 × 0.01 = 3.5 BTC.
        var rows = new StringBuilder(Header).Append('\n');
        for (var i = 0; i < 250; i++)
        {
            var time = new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero).AddHours(i).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            rows.Append(CultureInfo.InvariantCulture, $"b-{i},{time},Trade,Buy,BTC,0.01,45000,USD,450,1,,,,,,\n");
        }

        Assert.Equal("Succeeded", await portfolio.ImportAsync("Kraken", "buys.csv", Encoding.UTF8.GetBytes(rows.ToString())));
        await Expect(page.Locator("#job-imported")).ToHaveTextAsync("250 transaction(s)");
        await page.GetByRole(AriaRole.Link, new() { Name = "See the holdings" }).ClickAsync();
        await Expect(portfolio.HoldingRow("BTC").Locator("td").First).ToHaveTextAsync("3.5");
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Allocation" })).ToBeVisibleAsync();
    });
}
