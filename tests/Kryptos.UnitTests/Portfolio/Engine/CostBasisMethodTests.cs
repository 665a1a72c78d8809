using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;

namespace Kryptos.UnitTests.Portfolio.Engine;

/// <summary>FIFO, LIFO and HIFO on the same lots, with the arithmetic worked by hand.</summary>
public sealed class CostBasisMethodTests
{
    /// <summary>Two lots, then a sale of one and a half BTC.</summary>
    private static PortfolioBuilder TwoLotsThenASale()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-10", "BTC", 1, 10_000);
        book.Buy("2024-02-10", "BTC", 1, 20_000);
        book.Sell("2024-06-10", "BTC", 1.5m, 30_000);
        return book;
    }

    [Fact]
    public void Fifo_SellsTheOldestLotFirst_AndSplitsTheNextOne()
    {
        var snapshot = TwoLotsThenASale().Compute(CostBasisMethod.Fifo);

        // Proceeds 1.5 × 30,000 = 45,000, shared by quantity: 30,000 for 1 BTC, 15,000 for 0.5 BTC.
        // Lot of 2024-01-10: 1 BTC, cost 10,000 → gain 30,000 − 10,000 = 20,000.
        // Lot of 2024-02-10: 0.5 of 1 BTC, cost 20,000 × 0.5 = 10,000 → gain 15,000 − 10,000 = 5,000.
        Assert.Collection(snapshot.Disposals,
            d => AssertDisposal(d, "2024-01-10", 1m, 30_000m, 10_000m, 20_000m),
            d => AssertDisposal(d, "2024-02-10", 0.5m, 15_000m, 10_000m, 5_000m));
        var year = snapshot.TaxYear(2024)!;
        Assert.Equal(25_000m, year.ShortTermGain);
        Assert.Equal(45_000m, year.Proceeds);
        Assert.Equal(20_000m, year.CostBasis);

        // Left: 0.5 BTC of the second lot, cost 20,000 − 10,000 = 10,000.
        var btc = Assert.Single(snapshot.Holdings);
        Assert.Equal(0.5m, btc.Quantity);
        Assert.Equal(10_000m, btc.CostBasis);
    }

    [Fact]
    public void Lifo_SellsTheNewestLotFirst()
    {
        var snapshot = TwoLotsThenASale().Compute(CostBasisMethod.Lifo);

        // Lot of 2024-02-10: 1 BTC, cost 20,000, proceeds 30,000 → gain 10,000.
        // Lot of 2024-01-10: 0.5 BTC, cost 10,000 × 0.5 = 5,000, proceeds 15,000 → gain 10,000.
        Assert.Collection(snapshot.Disposals,
            d => AssertDisposal(d, "2024-02-10", 1m, 30_000m, 20_000m, 10_000m),
            d => AssertDisposal(d, "2024-01-10", 0.5m, 15_000m, 5_000m, 10_000m));
        Assert.Equal(20_000m, snapshot.TaxYear(2024)!.ShortTermGain);

        // Left: 0.5 BTC of the first lot, cost 5,000.
        Assert.Equal(5_000m, Assert.Single(snapshot.Holdings).CostBasis);
    }

    /// <summary>Three lots whose costs are not in time order, so HIFO differs from both FIFO and LIFO.</summary>
    private static PortfolioBuilder ThreeLotsThenASale()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-10", "BTC", 1, 10_000);
        book.Buy("2024-02-10", "BTC", 1, 30_000);
        book.Buy("2024-03-10", "BTC", 1, 20_000);
        book.Sell("2024-06-10", "BTC", 1.5m, 25_000);
        return book;
    }

    [Fact]
    public void Hifo_SellsTheHighestCostLotFirst()
    {
        var snapshot = ThreeLotsThenASale().Compute(CostBasisMethod.Hifo);

        // Proceeds 1.5 × 25,000 = 37,500: 25,000 for 1 BTC, 12,500 for 0.5 BTC.
        // Highest unit cost: the 30,000 lot (2024-02-10), 1 BTC → gain 25,000 − 30,000 = −5,000.
        // Next highest: the 20,000 lot (2024-03-10), 0.5 BTC, cost 10,000 → gain 12,500 − 10,000 = 2,500.
        Assert.Collection(snapshot.Disposals,
            d => AssertDisposal(d, "2024-02-10", 1m, 25_000m, 30_000m, -5_000m),
            d => AssertDisposal(d, "2024-03-10", 0.5m, 12_500m, 10_000m, 2_500m));
        Assert.Equal(-2_500m, snapshot.TaxYear(2024)!.ShortTermGain);

        // Left: 1 BTC at 10,000 and 0.5 BTC at 10,000 → 1.5 BTC, cost 20,000.
        var btc = Assert.Single(snapshot.Holdings);
        Assert.Equal(1.5m, btc.Quantity);
        Assert.Equal(20_000m, btc.CostBasis);
    }

    [Theory]
    // FIFO: 1 @ 10,000 → +15,000; 0.5 @ 30,000 (cost 15,000) → 12,500 − 15,000 = −2,500; total 12,500.
    [InlineData(CostBasisMethod.Fifo, 12_500)]
    // LIFO: 1 @ 20,000 → +5,000; 0.5 @ 30,000 → −2,500; total 2,500.
    [InlineData(CostBasisMethod.Lifo, 2_500)]
    // HIFO: see above, −5,000 + 2,500 = −2,500.
    [InlineData(CostBasisMethod.Hifo, -2_500)]
    public void ChangingTheMethod_ChangesTheRealizedGain(CostBasisMethod method, decimal gain)
    {
        var snapshot = ThreeLotsThenASale().Compute(method);

        Assert.Equal(method, snapshot.Method);
        Assert.Equal(gain, snapshot.TaxYear(2024)!.RealizedGain);

        // Whatever the method, cost sold + cost left = cost bought (10,000 + 30,000 + 20,000).
        Assert.Equal(60_000m, snapshot.Disposals.Sum(d => d.CostBasis) + snapshot.Totals.CostBasis);
    }

    [Fact]
    public void PartialLots_SoldInThirds_ConsumeTheCostExactly()
    {
        var book = new PortfolioBuilder();

        // 3 ETH for 100 USD: a unit cost of 33.33… that no decimal holds exactly.
        book.Add(TransactionType.Trade, TransactionLabel.Buy, "2024-01-01", null,
            PortfolioBuilder.Line(LineDirection.In, "ETH", 3, null),
            PortfolioBuilder.Line(LineDirection.Out, "USD", 100, 1));
        book.Sell("2024-02-01", "ETH", 1, 50);
        book.Sell("2024-03-01", "ETH", 1, 50);
        var afterTwo = book.Compute();

        // After two sales, 1 ETH is left with what remains of the cost: 100 − 2 × 33.33… = 33.33…
        var left = Assert.Single(afterTwo.Holdings);
        Assert.Equal(1m, left.Quantity);
        Assert.Equal(100m, afterTwo.Disposals.Sum(d => d.CostBasis) + left.CostBasis);

        book.Sell("2024-04-01", "ETH", 1, 50);
        var snapshot = book.Compute();

        // The last third takes the exact remainder: the three costs add up to 100, not 99.99…
        Assert.Empty(snapshot.Holdings);
        Assert.Equal(100m, snapshot.Disposals.Sum(d => d.CostBasis));
        Assert.Equal(50m, snapshot.TaxYear(2024)!.RealizedGain);
    }

    private static void AssertDisposal(Disposal disposal, string acquired, decimal quantity, decimal proceeds, decimal cost, decimal gain)
    {
        Assert.Equal(PortfolioBuilder.Day(acquired), disposal.AcquiredAt);
        Assert.Equal(quantity, disposal.Quantity);
        Assert.Equal(proceeds, disposal.Proceeds);
        Assert.Equal(cost, disposal.CostBasis);
        Assert.Equal(gain, disposal.Gain);
    }
}
