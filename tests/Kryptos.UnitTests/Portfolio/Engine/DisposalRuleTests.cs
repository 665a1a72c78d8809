using Kryptos.Connect.Portfolio.Engine;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;
using static Kryptos.UnitTests.Portfolio.Engine.PortfolioBuilder;

namespace Kryptos.UnitTests.Portfolio.Engine;

/// <summary>Fees, losses, transfers, the holding period and disposals beyond what is held.</summary>
public sealed class DisposalRuleTests
{
    [Fact]
    public void FiatFees_AddToTheCostOfABuy_AndReduceTheProceedsOfASale()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "BTC", 1, 30_000, feeUsd: 15);
        book.Sell("2024-02-01", "BTC", 1, 31_000, feeUsd: 10);

        var snapshot = book.Compute();

        // Cost: 1 × 30,000 + 15 fee = 30,015. Proceeds: 1 × 31,000 − 10 fee = 30,990.
        // Gain: 30,990 − 30,015 = 975.
        var disposal = Assert.Single(snapshot.Disposals);
        Assert.Equal(30_015m, disposal.CostBasis);
        Assert.Equal(30_990m, disposal.Proceeds);
        Assert.Equal(975m, disposal.Gain);

        // The buy's entry: the asset at its cost (fee included) against the cash paid, fee included.
        var buy = snapshot.Ledger[0];
        Assert.Contains(buy.Postings, p => p is { Account: "Assets:Coinbase:BTC", Debit: 30_015m, Quantity: 1m });
        Assert.Equal(30_015m, buy.Postings.Where(p => p.Account == "Assets:Coinbase:USD").Sum(p => p.Credit));
        Assert.DoesNotContain(buy.Postings, p => p.Account == "Expenses:Fees");
    }

    [Fact]
    public void ASaleBelowCost_IsARealizedLoss()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "SOL", 10, 200);
        book.Sell("2024-05-01", "SOL", 10, 150);

        var snapshot = book.Compute();

        // 10 × 150 − 10 × 200 = 1,500 − 2,000 = −500.
        Assert.Equal(-500m, Assert.Single(snapshot.Disposals).Gain);
        Assert.Equal(-500m, snapshot.TaxYear(2024)!.ShortTermGain);
        var sale = snapshot.Ledger[1];
        Assert.Contains(sale.Postings, p => p is { Account: "Expenses:RealizedLosses", Debit: 500m });
        Assert.Contains(sale.Postings, p => p is { Account: "Assets:Coinbase:SOL", Credit: 2_000m });
        Assert.Contains(sale.Postings, p => p is { Account: "Assets:Coinbase:USD", Debit: 1_500m });
    }

    [Fact]
    public void SomethingLost_HasNoProceeds_SoItsCostIsTheLoss()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "ETH", 2, 1_000);
        book.Add(TransactionType.Withdrawal, TransactionLabel.Lost, "2024-03-01", null, Line(LineDirection.Out, "ETH", 0.5m, 3_000));

        var snapshot = book.Compute();

        // 0.5 of a lot of 2 ETH costing 2,000 → cost 500; proceeds 0 although ETH is quoted at 3,000;
        // loss 500.
        var disposal = Assert.Single(snapshot.Disposals);
        Assert.Equal(0m, disposal.Proceeds);
        Assert.Equal(-500m, disposal.Gain);
        Assert.Contains(snapshot.Ledger[1].Postings, p => p is { Account: "Expenses:RealizedLosses", Debit: 500m });
        Assert.Equal(1.5m, Assert.Single(snapshot.Holdings).Quantity);
    }

    [Fact]
    public void ATransferBetweenOwnAccounts_IsNotADisposal_AndKeepsTheLotsDateAndCost()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "BTC", 1, 20_000);
        book.Transfer("2024-06-01", "BTC", 1, null, book.Coinbase, book.Ledger);
        var moved = book.Compute();

        Assert.Empty(moved.Disposals);
        var btc = Assert.Single(moved.Holdings);
        var account = Assert.Single(btc.Accounts);
        Assert.Equal(book.Ledger.Id, account.IntegrationId);
        Assert.Equal(1m, account.Quantity);
        Assert.Equal(20_000m, account.CostBasis);
        var entry = moved.Ledger[1];
        Assert.Contains(entry.Postings, p => p is { Account: "Assets:Coinbase:BTC", Credit: 20_000m });
        Assert.Contains(entry.Postings, p => p is { Account: "Assets:Ledger:BTC", Debit: 20_000m });

        // Sold from the wallet more than a year after the purchase on the exchange: the lot kept its
        // date (2024-01-01), so the gain is long term: 50,000 − 20,000 = 30,000.
        book.Sell("2025-01-02", "BTC", 1, 50_000, account: book.Ledger);
        var disposal = Assert.Single(book.Compute().Disposals);
        Assert.Equal(Day("2024-01-01"), disposal.AcquiredAt);
        Assert.Equal(HoldingTerm.LongTerm, disposal.Term);
        Assert.Equal(30_000m, disposal.Gain);
    }

    [Fact]
    public void ATransfersNetworkFeeInCrypto_IsASmallDisposalAndAFeeExpense()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "BTC", 1, 20_000);

        // 1 BTC leaves Coinbase, 0.9999 arrives in the Ledger wallet: 0.0001 BTC paid the network.
        book.Transfer("2024-06-01", "BTC", 1, 0.9999m, book.Coinbase, book.Ledger, price: 40_000);

        var snapshot = book.Compute();

        // The fee: 0.0001 BTC of a lot costing 20,000 per BTC → cost 2; worth 0.0001 × 40,000 = 4;
        // gain 2. The expense is its value, 4.
        var fee = Assert.Single(snapshot.Disposals);
        Assert.Equal(0.0001m, fee.Quantity);
        Assert.Equal(2m, fee.CostBasis);
        Assert.Equal(4m, fee.Proceeds);
        Assert.Equal(2m, fee.Gain);
        Assert.Contains(snapshot.Ledger[1].Postings, p => p is { Account: "Expenses:Fees", Debit: 4m });

        // The rest moved at cost: 0.9999 × 20,000 = 19,998.
        var account = Assert.Single(Assert.Single(snapshot.Holdings).Accounts);
        Assert.Equal(book.Ledger.Id, account.IntegrationId);
        Assert.Equal(0.9999m, account.Quantity);
        Assert.Equal(19_998m, account.CostBasis);
    }

    [Theory]
    // Held exactly one year: short term. One day more: long term.
    [InlineData("2025-03-01", HoldingTerm.ShortTerm)]
    [InlineData("2025-03-02", HoldingTerm.LongTerm)]
    [InlineData("2024-12-31", HoldingTerm.ShortTerm)]
    public void LongTerm_MeansHeldMoreThanOneYear(string disposed, HoldingTerm term)
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-03-01", "ETH", 1, 1_000);
        book.Sell(disposed, "ETH", 1, 1_500);

        var snapshot = book.Compute();

        Assert.Equal(term, Assert.Single(snapshot.Disposals).Term);
        var year = snapshot.TaxYear(Day(disposed).Year)!;
        Assert.Equal(term == HoldingTerm.LongTerm ? 500m : 0m, year.LongTermGain);
        Assert.Equal(term == HoldingTerm.ShortTerm ? 500m : 0m, year.ShortTermGain);
    }

    [Fact]
    public void TheHoldingPeriod_CountsUtcCalendarDays_NotHours()
    {
        var acquired = new DateTimeOffset(2024, 3, 1, 23, 59, 0, TimeSpan.Zero);

        Assert.Equal(HoldingTerm.ShortTerm, PortfolioEngine.TermOf(acquired, new DateTimeOffset(2025, 3, 1, 23, 59, 59, TimeSpan.Zero)));
        Assert.Equal(HoldingTerm.LongTerm, PortfolioEngine.TermOf(acquired, new DateTimeOffset(2025, 3, 2, 0, 0, 0, TimeSpan.Zero)));

        // Leap day: one year after 2024-02-29 is 2025-02-28, so 2025-03-01 is more than a year.
        var leap = new DateTimeOffset(2024, 2, 29, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(HoldingTerm.ShortTerm, PortfolioEngine.TermOf(leap, new DateTimeOffset(2025, 2, 28, 12, 0, 0, TimeSpan.Zero)));
        Assert.Equal(HoldingTerm.LongTerm, PortfolioEngine.TermOf(leap, new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void DisposingMoreThanHeld_CountsTheMissingPartAtZeroCost_AndWarns()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "BTC", 1, 100);
        var sale = book.Sell("2024-02-01", "BTC", 1.5m, 200);

        var snapshot = book.Compute();

        // Proceeds 1.5 × 200 = 300: 200 for the 1 BTC held (cost 100), 100 for the missing 0.5 (cost 0,
        // acquired when sold, so short term). Gain 300 − 100 = 200.
        Assert.Collection(snapshot.Disposals,
            d => Assert.Equal((1m, 200m, 100m), (d.Quantity, d.Proceeds, d.CostBasis)),
            d =>
            {
                Assert.Equal((0.5m, 100m, 0m), (d.Quantity, d.Proceeds, d.CostBasis));
                Assert.Equal(sale.OccurredAt, d.AcquiredAt);
                Assert.Equal(HoldingTerm.ShortTerm, d.Term);
            });
        Assert.Equal(200m, snapshot.TaxYear(2024)!.RealizedGain);
        Assert.Empty(snapshot.Holdings);
        var warning = Assert.Single(snapshot.Warnings);
        Assert.Equal(sale.Id, warning.TransactionId);
        Assert.Contains("zero cost", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASaleFromAnAccountHoldingTooLittle_TakesLotsFromTheOtherAccounts_AndWarns()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "ETH", 1, 1_000, account: book.Kraken);
        book.Buy("2024-02-01", "ETH", 1, 2_000, account: book.Coinbase);

        // 1.5 ETH leave Coinbase, which holds 1: its own lot first, then half of Kraken's.
        book.Sell("2024-03-01", "ETH", 1.5m, 3_000, account: book.Coinbase);

        var snapshot = book.Compute();

        // Coinbase's lot: cost 2,000, proceeds 3,000. Kraken's half: cost 500, proceeds 1,500.
        Assert.Equal(2_000m, snapshot.Disposals[0].CostBasis);
        Assert.Equal(500m, snapshot.Disposals[1].CostBasis);
        var left = Assert.Single(Assert.Single(snapshot.Holdings).Accounts);
        Assert.Equal((book.Kraken.Id, 0.5m, 500m), (left.IntegrationId, left.Quantity, left.CostBasis));
        Assert.Contains("other accounts", Assert.Single(snapshot.Warnings).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ASwap_DisposesOfWhatWasGiven_AndTheNewLotCostsItsValue()
    {
        var book = new PortfolioBuilder();
        book.Buy("2024-01-01", "ETH", 1, 1_000);

        // 1 ETH worth 2,000 for 100 SOL quoted at 19 (1,900): what was given sets the value exchanged.
        book.Add(TransactionType.Trade, TransactionLabel.Swap, "2024-04-01", null,
            Line(LineDirection.Out, "ETH", 1, 2_000),
            Line(LineDirection.In, "SOL", 100, 19));

        var snapshot = book.Compute();

        // ETH: proceeds 2,000 − cost 1,000 = 1,000. SOL lot: cost 2,000 (what was given for it).
        Assert.Equal(1_000m, Assert.Single(snapshot.Disposals).Gain);
        var sol = Assert.Single(snapshot.Holdings);
        Assert.Equal(("SOL", 100m, 2_000m), (sol.Asset, sol.Quantity, sol.CostBasis));
    }
}
