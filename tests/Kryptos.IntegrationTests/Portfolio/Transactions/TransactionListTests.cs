using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Pages;

namespace Kryptos.IntegrationTests.Portfolio.Transactions;

/// <summary>The transaction list: newest first, filtered by account, asset, type, label and dates, in pages of 50.</summary>
public sealed class TransactionListTests(PortfolioFactory factory) : IClassFixture<PortfolioFactory>
{
    [Fact]
    public async Task Filters_And_Paging_SelectTheRightTransactions()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Many");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var coinbase = await factory.AddExchangeAsync(client, workspaceId, "Coinbase", "coinbase");
        var start = new DateTimeOffset(2024, 1, 1, 12, 0, 0, TimeSpan.Zero);
        // 55 BTC buys on Kraken, one a day from 2024-01-01; 5 ETH buys on Coinbase from 2024-03-01.
        for (var i = 0; i < 55; i++)
        {
            await factory.InsertBuyAsync(workspaceId, kraken, "BTC", 1, 100 + i, start.AddDays(i));
        }

        for (var i = 0; i < 5; i++)
        {
            await factory.InsertBuyAsync(workspaceId, coinbase, "ETH", 1, 10, new DateTimeOffset(2024, 3, 1 + i, 9, 0, 0, TimeSpan.Zero));
        }

        var basePath = $"/workspaces/{workspaceId}/portfolio/transactions";
        async Task<(int Total, int Rows, string? FirstTime)> ListAsync(string query)
        {
            var page = await client.GetPageAsync(basePath + query);
            var rows = page.QuerySelectorAll("main table tbody tr");
            return (int.Parse(page.QuerySelector("#list-heading .muted")!.TextContent.Trim('(', ')', ' '), System.Globalization.CultureInfo.InvariantCulture),
                rows.Length, (rows.Length > 0 ? rows[0] : null)?.QuerySelector("td")?.TextContent.Trim());
        }

        // Newest first: the last ETH buy (2024-03-05) leads page 1; page 2 holds the remaining 10 of 60.
        Assert.Equal((60, 50, "2024-03-05 09:00 UTC"), await ListAsync(""));
        // Page 1: 5 ETH + the BTC buys of days 54..10; page 2: days 9..0, from 2024-01-10.
        Assert.Equal((60, 10, "2024-01-10 12:00 UTC"), await ListAsync("?page=2"));
        Assert.Equal((5, 5, "2024-03-05 09:00 UTC"), await ListAsync("?asset=eth"));
        Assert.Equal((5, 5, "2024-03-05 09:00 UTC"), await ListAsync($"?integration={coinbase}"));
        Assert.Equal((55, 50, "2024-02-24 12:00 UTC"), await ListAsync($"?integration={kraken}&type=Trade&label=Buy"));
        // 2024-01-10 to 2024-01-12 inclusive: three BTC buys.
        Assert.Equal((3, 3, "2024-01-12 12:00 UTC"), await ListAsync("?from=2024-01-10&to=2024-01-12"));
        Assert.Equal((0, 0, (string?)null), await ListAsync("?label=Sell"));
        client.Dispose();
    }

    [Theory]
    [InlineData("?type=Bogus", "Choose a type from the list.")]
    [InlineData("?from=01%2F02%2F2024", "must be a date like 2024-03-01")]
    [InlineData("?from=2024-02-01&to=2024-01-01", "must not be after")]
    [InlineData("?page=-3", "whole number")]
    [InlineData("?integration=00000000-0000-0000-0000-000000000001", "Choose an account of this workspace.")]
    public async Task BadFilter_IsA400WithAMessage(string query, string message)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Filters");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        await factory.InsertBuyAsync(workspaceId, kraken, "BTC", 1, 100);

        using var response = await client.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/transactions{query}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await PortalClient.ReadPageAsync(response)).QuerySelector(".alert.error")!.TextContent, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task EmptyWorkspace_ExplainsHowToAddData()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Empty");

        var page = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio/transactions");

        var links = page.QuerySelectorAll("main .empty a").Select(a => a.GetAttribute("href")).ToList();
        Assert.Contains($"/workspaces/{workspaceId}/portfolio/integrations", links);
        Assert.Contains($"/workspaces/{workspaceId}/portfolio/import", links);
        Assert.Contains($"/workspaces/{workspaceId}/portfolio/demo", links);
        client.Dispose();
    }
}
