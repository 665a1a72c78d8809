using System.Net;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Portfolio.Engine;

/// <summary>
/// The computed views on the real host and database: loaded per workspace, cached, recomputed after
/// an invalidation or a settings change, computed once for concurrent readers.
/// </summary>
public sealed class PortfolioViewsTests(PortfolioFactory factory) : IClassFixture<PortfolioFactory>
{
    /// <summary>
    /// Three BTC lots at 10,000, 30,000 and 20,000, then 1.5 BTC sold at 25,000 (the unit tests'
    /// example): FIFO gains 12,500, HIFO −2,500.
    /// </summary>
    private async Task<(PortalClient Owner, Guid WorkspaceId)> WorkspaceWithThreeLotsAsync()
    {
        factory.Prices.Gate = null;
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Tax desk");
        var account = await factory.AddAccountAsync(workspaceId);
        await factory.TradeAsync(workspaceId, account, "2024-01-10", "BTC", 1, 10_000);
        await factory.TradeAsync(workspaceId, account, "2024-02-10", "BTC", 1, 30_000);
        await factory.TradeAsync(workspaceId, account, "2024-03-10", "BTC", 1, 20_000);
        await factory.TradeAsync(workspaceId, account, "2024-06-10", "BTC", -1.5m, 25_000);
        return (owner, workspaceId);
    }

    [Fact]
    public async Task ChangingTheMethodInSettings_RecomputesTheGains()
    {
        var (owner, workspaceId) = await WorkspaceWithThreeLotsAsync();
        var fifo = await factory.Views.GetAsync(workspaceId);
        Assert.Equal((CostBasisMethod.Fifo, 12_500m), (fifo.Method, fifo.TaxYear(2024)!.RealizedGain));

        using var response = await owner.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>
        {
            ["Input.CostBasisMethod"] = nameof(CostBasisMethod.Hifo),
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var hifo = await factory.Views.GetAsync(workspaceId);
        Assert.Equal((CostBasisMethod.Hifo, -2_500m), (hifo.Method, hifo.TaxYear(2024)!.RealizedGain));

        // Left under HIFO: 1 BTC at 10,000 and 0.5 BTC at 10,000.
        Assert.Equal(20_000m, Assert.Single(hifo.Holdings).CostBasis);
        owner.Dispose();
    }

    [Fact]
    public async Task ChangingTheBaseCurrency_RecomputesInTheNewCurrency()
    {
        var (owner, workspaceId) = await WorkspaceWithThreeLotsAsync();
        Assert.Equal("USD", (await factory.Views.GetAsync(workspaceId)).BaseCurrency);

        using var response = await owner.UpdateSettingsAsync(workspaceId, new Dictionary<string, string> { ["Input.BaseCurrency"] = "EUR" });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var snapshot = await factory.Views.GetAsync(workspaceId);
        Assert.Equal("EUR", snapshot.BaseCurrency);

        // The lines were priced in USD and the price source knows no EUR close for those days: the
        // engine does not pass USD off as EUR, it values them at 0 and says so.
        Assert.NotEmpty(snapshot.Warnings);
        Assert.Equal(0m, snapshot.Totals.CostBasis);
        owner.Dispose();
    }

    [Fact]
    public async Task ASnapshot_IsServedFromMemory_UntilInvalidated()
    {
        var (owner, workspaceId) = await WorkspaceWithThreeLotsAsync();
        var first = await factory.Views.GetAsync(workspaceId);
        var account = first.Holdings[0].Accounts[0].IntegrationId;

        // A write the views are not told about is not seen: the cached snapshot is served.
        await factory.TradeAsync(workspaceId, account, "2024-07-01", "ETH", 2, 1_000);
        Assert.Same(first, await factory.Views.GetAsync(workspaceId));

        factory.Views.Invalidate(workspaceId);
        var second = await factory.Views.GetAsync(workspaceId);

        Assert.NotSame(first, second);
        Assert.Equal(["BTC", "ETH"], second.Holdings.Select(h => h.Asset).Order());
        owner.Dispose();
    }

    [Fact]
    public async Task ConcurrentMisses_ComputeOnce()
    {
        var (owner, workspaceId) = await WorkspaceWithThreeLotsAsync();
        var callsBefore = factory.Prices.Calls;
        factory.Prices.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var readers = Enumerable.Range(0, 20).Select(_ => factory.Views.GetAsync(workspaceId).AsTask()).ToList();
        await WaitUntilAsync(() => factory.Prices.Calls > callsBefore);
        factory.Prices.Gate.SetResult();
        var snapshots = await Task.WhenAll(readers);
        factory.Prices.Gate = null;

        // Every price is on the lines, so one computation asks the price source once (today's prices).
        Assert.Equal(callsBefore + 1, factory.Prices.Calls);
        Assert.All(snapshots, s => Assert.Same(snapshots[0], s));
        owner.Dispose();
    }

    [Fact]
    public async Task AnInvalidationDuringAComputation_KeepsItsResultOutOfTheCache()
    {
        var (owner, workspaceId) = await WorkspaceWithThreeLotsAsync();
        factory.Prices.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var callsBefore = factory.Prices.Calls;
        var reading = factory.Views.GetAsync(workspaceId).AsTask();
        await WaitUntilAsync(() => factory.Prices.Calls > callsBefore);

        // The data changes while the computation waits for prices (it loaded the transactions already).
        var account = await factory.WithDbAsync(db => Task.FromResult(db.Integrations.Single(i => i.WorkspaceId == workspaceId).Id));
        await factory.TradeAsync(workspaceId, account, "2024-07-01", "ETH", 2, 1_000);
        factory.Views.Invalidate(workspaceId);
        factory.Prices.Gate.SetResult();
        factory.Prices.Gate = null;
        var stale = await reading;

        Assert.DoesNotContain(stale.Holdings, h => h.Asset == "ETH");
        var fresh = await factory.Views.GetAsync(workspaceId);
        Assert.Contains(fresh.Holdings, h => h.Asset == "ETH");
        owner.Dispose();
    }

    [Fact]
    public async Task MarketValues_AreAsOfToday_WithTheirSource_AndFollowTheDay()
    {
        var (owner, workspaceId) = await WorkspaceWithThreeLotsAsync();
        var today = DateOnly.FromDateTime(factory.Clock.GetUtcNow().UtcDateTime);
        var btc = $"BTC-{Guid.NewGuid():N}"[..12].ToUpperInvariant();
        var account = await factory.WithDbAsync(db => Task.FromResult(db.Integrations.Single(i => i.WorkspaceId == workspaceId).Id));
        await factory.TradeAsync(workspaceId, account, "2024-07-01", btc, 2, 100);
        factory.Prices.Closes[(btc, today.AddDays(-3))] = 150;
        factory.Prices.Closes[(btc, today.AddDays(1))] = 400;

        var snapshot = await factory.Views.GetAsync(workspaceId);

        // 2 units at the latest close before today, 150: 300, against a cost of 200.
        var holding = snapshot.Holdings.Single(h => h.Asset == btc);
        Assert.Equal((150m, 300m, 100m), (holding.Price, holding.MarketValue, holding.UnrealizedPnl));
        Assert.Equal(("demo", today), (snapshot.Prices.Source, snapshot.Prices.AsOf));

        // Tomorrow the cached snapshot is yesterday's: it is recomputed with tomorrow's close.
        factory.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = await factory.Views.GetAsync(workspaceId);
        Assert.Equal(800m, tomorrow.Holdings.Single(h => h.Asset == btc).MarketValue);
        Assert.Equal(today.AddDays(1), tomorrow.Prices.AsOf);
        owner.Dispose();
    }

    [Fact]
    public async Task IncomeWithoutAPrice_IsValuedAtThePriceSourcesCloseThatDay()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var account = await factory.AddAccountAsync(workspaceId, "Phantom");
        var sol = $"S{Guid.NewGuid():N}"[..10].ToUpperInvariant();
        factory.Prices.Closes[(sol, new DateOnly(2024, 4, 30))] = 120;
        await factory.AddTransactionAsync(workspaceId, account, "2024-05-01", TransactionType.Income, TransactionLabel.StakingRewards,
            (LineDirection.In, sol, 2.5m, null));

        var snapshot = await factory.Views.GetAsync(workspaceId);

        // 2.5 × 120 (the close of the day before, the latest known) = 300.
        var income = Assert.Single(snapshot.Income);
        Assert.Equal(300m, income.FairValue);
        Assert.Equal(300m, snapshot.TaxYear(2024)!.Income);
        owner.Dispose();
    }

    [Fact]
    public async Task ASnapshot_HoldsOnlyItsWorkspacesData()
    {
        var (owner, workspaceId) = await WorkspaceWithThreeLotsAsync();
        var other = await owner.CreateWorkspaceAsync("Other");
        var account = await factory.AddAccountAsync(other, "Kraken");
        await factory.TradeAsync(other, account, "2024-01-01", "ETH", 3, 1_000);

        var mine = await factory.Views.GetAsync(workspaceId);
        var theirs = await factory.Views.GetAsync(other);

        Assert.Equal(["BTC"], mine.Holdings.Select(h => h.Asset));
        Assert.Equal(4, mine.Ledger.Count);
        Assert.Equal(["ETH"], theirs.Holdings.Select(h => h.Asset));
        Assert.Equal("Kraken", Assert.Single(theirs.Holdings[0].Accounts).IntegrationName);
        owner.Dispose();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting.");
            await Task.Delay(10);
        }
    }
}
