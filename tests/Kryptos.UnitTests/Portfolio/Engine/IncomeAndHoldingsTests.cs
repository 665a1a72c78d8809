using Kryptos.Connect.Portfolio.Engine;
using Kryptos.Connect.Portfolio.Transactions;
using static Kryptos.UnitTests.Portfolio.Engine.PortfolioBuilder;

namespace Kryptos.UnitTests.Portfolio.Engine;

/// <summary>Income at fair value, and holdings valued at today's prices.</summary>
public sealed class IncomeAndHoldingsTests
{
    [Fact]
    public void StakingRewards_AreIncomeAtFairValue_WhichBecomesTheLotsCost()
    {
        var book = new PortfolioBuilder();
        book.Stake("2024-05-01", "ETH", 0.5m, 2_000);
        book.Sell("2024-09-01", "ETH", 0.5m, 2_400);

        var snapshot = book.Compute();

        // Income: 0.5 × 2,000 = 1,000. Sale: 0.5 × 2,400 = 1,200 − cost 1,000 = gain 200.
        var income = Assert.Single(snapshot.Income);
        Assert.Equal((1_000m, TransactionLabel.StakingRewards), (income.FairValue, income.Label));
        Assert.Equal(200m, Assert.Single(snapshot.Disposals).Gain);
        var year = snapshot.TaxYear(2024)!;
        Assert.Equal((1_000m, 1, 200m), (year.Income, year.IncomeCount, year.RealizedGain));
        Assert.Contains(snapshot.Ledger[0].Postings, p => p is { Account: "Income:StakingRewards", Credit: 1_000m });
        Assert.Contains(snapshot.Ledger[0].Postings, p => p is { Account: "Assets:Coinbase:ETH", Debit: 1_000m });
    }

    [Fact]
    public void IncomeWithoutAPrice_TakesThatDaysClose_OrZeroWithAWarning()
    {
        var book = new PortfolioBuilder();
        book.Stake("2024-05-01", "SOL", 2, null);
        var unknown = book.Add(TransactionType.Income, TransactionLabel.Airdrops, "2024-06-01", null, Line(LineDirection.In, "NEWCOIN", 1_000, null));
        book.Closes[new PriceKey("SOL", new DateOnly(2024, 5, 1))] = 150;

        var snapshot = book.Compute();

        // SOL: 2 × the close of 150 = 300. NEWCOIN: no price anywhere → 0, and a warning.
        Assert.Equal([300m, 0m], snapshot.Income.Select(i => i.FairValue));
        Assert.Equal(unknown.Id, Assert.Single(snapshot.Warnings).TransactionId);
        Assert.Equal(new Dictionary<DateOnly, IReadOnlySet<string>>
        {
            [new DateOnly(2024, 5, 1)] = new HashSet<string> { "SOL" },
            [new DateOnly(2024, 6, 1)] = new HashSet<string> { "NEWCOIN" },
        }, PortfolioEngine.PricesNeeded(book.Transactions, "USD"));
    }

    [Fact]
    public void Holdings_AreValuedAtTodaysPrices_WithAllocationAndTotals()
    {
        var book = new PortfolioBuilder();
        book.DepositUsd("2024-01-01", 50_000);
        book.Buy("2024-01-02", "BTC", 0.5m, 20_000);
        book.Buy("2024-01-03", "ETH", 2, 1_500);
        book.Buy("2024-01-04", "DOGE", 100, 0.1m);
        book.Price("BTC", 40_000);
        book.Price("ETH", 2_500);

        var snapshot = book.Compute();

        // BTC: 0.5 × 40,000 = 20,000 against cost 10,000 → +10,000.
        // ETH: 2 × 2,500 = 5,000 against cost 3,000 → +2,000. DOGE: no price.
        // Total market value 25,000: BTC 80 %, ETH 20 %.
        Assert.Equal(["BTC", "ETH", "DOGE"], snapshot.Holdings.Select(h => h.Asset));
        var btc = snapshot.Holdings[0];
        Assert.Equal((20_000m, 10_000m, 0.8m), (btc.MarketValue, btc.UnrealizedPnl, btc.Allocation));
        Assert.Equal(0.2m, snapshot.Holdings[1].Allocation);
        var doge = snapshot.Holdings[2];
        Assert.Equal((null, null, null, 10m), (doge.Price, doge.MarketValue, doge.Allocation, doge.CostBasis));

        // Cost basis over all holdings (10,000 + 3,000 + 10); value and P&L over the priced ones.
        Assert.Equal(13_010m, snapshot.Totals.CostBasis);
        Assert.Equal(25_000m, snapshot.Totals.MarketValue);
        Assert.Equal(12_000m, snapshot.Totals.UnrealizedPnl);
        Assert.Equal(3, snapshot.Totals.AssetCount);
        Assert.Equal(("demo", new DateOnly(2026, 6, 1)), (snapshot.Prices.Source, snapshot.Prices.AsOf));

        // Cash is not a holding: 50,000 − 10,000 − 3,000 − 10 = 36,990 USD left on Coinbase.
        var cash = Assert.Single(snapshot.Cash);
        Assert.Equal(("USD", 36_990m), (cash.Currency, cash.Quantity));

        // The fiat deposit came from outside: Equity:Contributions.
        Assert.Contains(snapshot.Ledger[0].Postings, p => p is { Account: "Equity:Contributions", Credit: 50_000m });
    }

    [Fact]
    public void PricesFromSeveralSources_AreMixed()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-02", "BTC", 1, 20_000);
        book.Buy("2024-01-03", "ETH", 1, 1_500);
        book.Price("BTC", 40_000, "import");
        book.Price("ETH", 2_500, "demo");

        Assert.Equal("mixed", book.Compute().Prices.Source);
    }
}
