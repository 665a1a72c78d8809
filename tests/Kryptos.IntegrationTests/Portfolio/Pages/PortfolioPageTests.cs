using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Portfolio.Pages;

/// <summary>The holdings and tax pages, read from the computed snapshot of transactions entered through the form.</summary>
public sealed class PortfolioPageTests(PortfolioFactory factory) : IClassFixture<PortfolioFactory>
{
    private static Dictionary<string, string> Trade(Guid account, string label, string time, string inAsset, string inQuantity, string inPrice, string outAsset, string outQuantity, string outPrice) => new()
    {
        ["Input.Type"] = "Trade",
        ["Input.Label"] = label,
        ["Input.OccurredAt"] = time,
        ["Input.IntegrationId"] = account.ToString(),
        ["Input.Lines[0].Direction"] = "In",
        ["Input.Lines[0].Asset"] = inAsset,
        ["Input.Lines[0].Quantity"] = inQuantity,
        ["Input.Lines[0].UnitPrice"] = inPrice,
        ["Input.Lines[1].Direction"] = "Out",
        ["Input.Lines[1].Asset"] = outAsset,
        ["Input.Lines[1].Quantity"] = outQuantity,
        ["Input.Lines[1].UnitPrice"] = outPrice,
        ["Input.Lines[2].Asset"] = "",
        ["Input.Lines[2].Quantity"] = "",
    };

    [Fact]
    public async Task EmptyWorkspace_ExplainsHowToAddData_OnTheHoldingsAndTaxPages()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Nothing Yet");

        foreach (var section in new[] { "", "/tax" })
        {
            var page = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio{section}");
            var links = page.QuerySelectorAll("main .empty a").Select(a => a.GetAttribute("href")).ToList();
            Assert.Contains($"/workspaces/{workspaceId}/portfolio/integrations", links);
            Assert.Contains($"/workspaces/{workspaceId}/portfolio/import", links);
            Assert.Contains($"/workspaces/{workspaceId}/portfolio/demo", links);
        }

        client.Dispose();
    }

    [Fact]
    public async Task BuyThenPartialSell_ShowsTheRemainingHolding_AndTheYearsDisposal()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Hand Checked");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var url = $"/workspaces/{workspaceId}/portfolio/transactions/new";
        // Buy 1 BTC at 40,000 USD, then sell 0.4 BTC at 50,000 USD three months later.
        using var buy = await client.SubmitAsync(url, Trade(kraken, "Buy", "2024-01-10T10:00:00", "BTC", "1", "40000", "USD", "40000", "1"));
        client.AssertStatus(HttpStatusCode.Redirect, buy);
        using var sell = await client.SubmitAsync(url, Trade(kraken, "Sell", "2024-04-10T10:00:00", "USD", "20000", "1", "BTC", "0.4", "50000"));
        client.AssertStatus(HttpStatusCode.Redirect, sell);

        var overview = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio");
        var btc = overview.QuerySelector("#holdings tbody tr[data-asset='BTC']")!.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList();
        // 1 − 0.4 = 0.6 BTC left, at the lot's cost: 0.6 × 40,000 = 24,000.
        Assert.Equal("0.6", btc[0]);
        Assert.Equal("24,000.00", btc[1]);
        Assert.NotNull(overview.QuerySelector("#price-source"));

        var tax = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio/tax?year=2024");
        // Proceeds 0.4 × 50,000 = 20,000; cost basis 0.4 × 40,000 = 16,000; gain 4,000, held three months: short term.
        Assert.Equal("+4,000.00", tax.QuerySelector("#short-term")!.TextContent.Trim());
        Assert.Equal("20,000.00", tax.QuerySelector("#proceeds")!.TextContent.Trim());
        Assert.Equal("16,000.00", tax.QuerySelector("#cost-basis")!.TextContent.Trim());
        var disposal = Assert.Single(tax.QuerySelectorAll("#disposals tbody tr"));
        Assert.Equal(["2024-04-10 10:00 UTC", "BTC", "0.4", "2024-01-10 10:00 UTC", "20,000.00", "16,000.00", "+4,000.00", "Short"],
            disposal.QuerySelectorAll("td").Select(c => c.TextContent.Trim()));

        using var unknownYear = await client.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/tax?year=1999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, unknownYear.StatusCode);
        Assert.Contains("no tax data for \"1999\"", (await PortalClient.ReadPageAsync(unknownYear)).QuerySelector(".alert.error")!.TextContent, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task NonMember_Gets404_OnEveryPortfolioPage()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Private Books");
        var (_, stranger) = await factory.SignedInUserAsync();

        foreach (var section in new[] { "", "/transactions", "/transactions/new", "/integrations", "/import", "/tax" })
        {
            using var response = await stranger.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio{section}", UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{section}: {(int)response.StatusCode}");
        }

        owner.Dispose();
        stranger.Dispose();
    }
}
