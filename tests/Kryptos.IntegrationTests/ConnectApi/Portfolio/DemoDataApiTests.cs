using System.Text.Json;
using Kryptos.Connect.Portfolio.Demo;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.Extensions.DependencyInjection;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi.Portfolio;

/// <summary>
/// The demo data set through /v1, as a new developer meets it: every resource answers, and what the
/// endpoints say agrees with the data set's known facts (counts, final quantities, the loss) and with
/// each other (totals are sums, summaries add up their rows, every ledger entry balances).
/// </summary>
public sealed class DemoDataApiTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task EveryResource_AnswersConsistently_OverTheDemoData()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        var workspaceId = await http.GrantedWorkspaceAsync(app.AccessToken);
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadDemoAsync(workspaceId));
        }

        async Task<JsonElement> Get(string path)
        {
            using var response = await http.GetApiAsync(path, app.AccessToken);
            return await JsonAsync(response);
        }

        async Task<List<JsonElement>> All(string path)
        {
            var items = new List<JsonElement>();
            for (var offset = 0; ; offset += 200)
            {
                var page = await Get($"{path}{(path.Contains('?', StringComparison.Ordinal) ? '&' : '?')}limit=200&offset={offset}");
                items.AddRange(page.GetProperty("data").EnumerateArray());
                if (!page.GetProperty("pagination").GetProperty("hasMore").GetBoolean())
                {
                    return items;
                }
            }
        }

        // Transactions: the data set's counts, by label and type.
        Assert.Equal(DemoPortfolio.TransactionCount, (await All("/v1/transactions")).Count);
        Assert.Equal(DemoPortfolio.StakingRewardCount, (await Get("/v1/transactions?label=staking_rewards")).GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(DemoPortfolio.AirdropCount, (await Get("/v1/transactions?label=airdrops")).GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.Equal(DemoPortfolio.TransferCount, (await Get("/v1/transactions?type=transfer")).GetProperty("pagination").GetProperty("total").GetInt32());

        // Holdings: the final quantities of the data set, demo prices, totals that are the sums.
        var holdings = await Get("/v1/holdings");
        var rows = holdings.GetProperty("data").EnumerateArray().ToList();
        foreach (var (asset, quantity) in DemoPortfolio.FinalQuantities.Where(q => q.Key != "USD"))
        {
            Assert.Equal(quantity, rows.Single(h => h.GetProperty("asset").GetString() == asset).Dec("quantity"));
        }

        var meta = holdings.GetProperty("meta");
        Assert.Equal("demo", meta.GetProperty("priceSource").GetString());
        Assert.Equal(rows.Count, meta.GetProperty("assetCount").GetInt32());
        Assert.InRange(meta.Dec("marketValue") - rows.Sum(h => h.Dec("marketValue")), -0.01m * rows.Count, 0.01m * rows.Count);
        Assert.InRange(rows.Sum(h => h.Dec("allocation")), 0.999m, 1.001m);

        // Integrations: the four demo accounts; a transfer counts in both of its accounts.
        var integrations = await All("/v1/integrations");
        Assert.Equal(DemoPortfolio.Accounts.Count, integrations.Count);
        Assert.Equal(DemoPortfolio.TransactionCount + DemoPortfolio.TransferCount, integrations.Sum(i => i.GetProperty("transactionCount").GetInt32()));

        // Tax: each year's summary adds up its disposal rows; 2025 has the DOT loss.
        foreach (var year in new[] { 2024, 2025 })
        {
            var summary = (await Get($"/v1/tax/{year}/summary")).GetProperty("data");
            var disposals = await All($"/v1/tax/{year}/disposals");
            Assert.Equal(summary.GetProperty("disposalCount").GetInt32(), disposals.Count);
            Assert.InRange(summary.Dec("realizedGain") - disposals.Sum(d => d.Dec("gain")), -0.01m * disposals.Count, 0.01m * disposals.Count);
        }

        var dotSale = (await All("/v1/tax/2025/disposals?asset=DOT")).Where(d => d.GetProperty("disposedAt").GetDateTimeOffset() == DemoPortfolio.LossSaleAt).ToList();
        Assert.NotEmpty(dotSale);
        Assert.Equal(-363.86m, dotSale.Sum(d => d.Dec("gain")));
        Assert.True((await Get("/v1/tax/2025/summary")).GetProperty("data").Dec("income") > 0);

        // Ledger: one balanced entry per transaction.
        var ledger = await All("/v1/ledgers");
        Assert.Equal(DemoPortfolio.TransactionCount, ledger.Count);
        Assert.All(ledger, entry =>
        {
            var postings = entry.GetProperty("postings").EnumerateArray().ToList();
            Assert.Equal(postings.Sum(p => p.Dec("debit")), postings.Sum(p => p.Dec("credit")));
        });
    }
}
