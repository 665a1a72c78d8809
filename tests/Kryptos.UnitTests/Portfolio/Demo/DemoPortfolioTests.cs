using Kryptos.Connect.Portfolio.Demo;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Transactions;

namespace Kryptos.UnitTests.Portfolio.Demo;

public sealed class DemoPortfolioTests
{
    private static readonly DemoDataSet Usd = DemoPortfolio.Build("USD");

    [Fact]
    public void TwoBuilds_AreEqual()
    {
        Assert.Equal(Describe(DemoPortfolio.Build("USD")), Describe(DemoPortfolio.Build("USD")));
    }

    [Fact]
    public void TheDocumentedCounts_AreTheGeneratedOnes()
    {
        Assert.Equal(DemoPortfolio.TransactionCount, Usd.Transactions.Count);
        Assert.InRange(Usd.Transactions.Count, 200, 500); // "a few hundred"
        var byLabel = Usd.Transactions.GroupBy(t => t.Label).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(DemoPortfolio.DepositCount, byLabel[TransactionLabel.Deposit]);
        Assert.Equal(DemoPortfolio.BuyCount, byLabel[TransactionLabel.Buy]);
        Assert.Equal(DemoPortfolio.SellCount, byLabel[TransactionLabel.Sell]);
        Assert.Equal(DemoPortfolio.SwapCount, byLabel[TransactionLabel.Swap]);
        Assert.Equal(DemoPortfolio.TransferCount, byLabel[TransactionLabel.Transfer]);
        Assert.Equal(DemoPortfolio.StakingRewardCount, byLabel[TransactionLabel.StakingRewards]);
        Assert.Equal(DemoPortfolio.AirdropCount, byLabel[TransactionLabel.Airdrops]);
        Assert.Equal(DemoPortfolio.WithdrawalCount, byLabel[TransactionLabel.Withdrawal]);
        Assert.Equal(DemoPortfolio.TransactionCount, byLabel.Values.Sum());
    }

    [Fact]
    public void EveryTransaction_IsInTheTwoYears_InTimeOrder_WithUniqueIds()
    {
        Assert.All(Usd.Transactions, t => Assert.InRange(DateOnly.FromDateTime(t.OccurredAt.UtcDateTime), DemoPortfolio.FirstDay, DemoPortfolio.LastDay));
        Assert.Equal(Usd.Transactions.OrderBy(t => t.OccurredAt).Select(t => t.ExternalId), Usd.Transactions.Select(t => t.ExternalId));
        Assert.Equal(Usd.Transactions.Count, Usd.Transactions.Select(t => t.ExternalId).Distinct().Count());
        Assert.Equal("demo-0001", Usd.Transactions[0].ExternalId);
    }

    [Fact]
    public void NoAccount_EverHoldsLessThanNothing_AndTheFinalHoldingsAreTheDocumentedOnes()
    {
        var balances = new Dictionary<(string, string), decimal>();
        foreach (var transaction in Usd.Transactions)
        {
            foreach (var line in transaction.Lines)
            {
                var account = line.Direction == LineDirection.In && transaction.Counterpart is { } to ? to : transaction.Account;
                var balance = balances.GetValueOrDefault((account, line.Asset)) + (line.Direction == LineDirection.In ? line.Quantity : -line.Quantity);
                Assert.True(balance >= 0m, $"{transaction.ExternalId} overdraws {line.Asset} in {account}");
                balances[(account, line.Asset)] = balance;
            }
        }

        var totals = balances.GroupBy(b => b.Key.Item2).ToDictionary(g => g.Key, g => g.Sum(b => b.Value));
        foreach (var (asset, quantity) in DemoPortfolio.FinalQuantities)
        {
            Assert.Equal(quantity, totals[asset]);
        }

        Assert.Equal(0m, totals["DOT"]); // all sold
    }

    [Fact]
    public void ItSpansTheDemoAssets_FourAccounts_AndEveryKindOfMovement()
    {
        var assets = Usd.Transactions.SelectMany(t => t.Lines).Select(l => l.Asset).ToHashSet();
        Assert.Superset(new HashSet<string> { "BTC", "ETH", "SOL", "USDC", "ADA", "DOT", "LINK", "USD" }, assets);
        Assert.Equal(4, Usd.Accounts.Count);
        Assert.Equal(4, Usd.Transactions.Select(t => t.Account).Distinct().Count());
        // Trading fees in fiat, network fees in the chain's asset.
        Assert.Contains(Usd.Transactions, t => t.Label == TransactionLabel.Buy && t.Lines.Any(l => l.Direction == LineDirection.Fee && l.Asset == "USD"));
        Assert.Contains(Usd.Transactions, t => t.Label == TransactionLabel.Transfer && t.Lines.Any(l => l.Direction == LineDirection.Fee && l.Asset == "ETH"));
        // Monthly staking income in ETH and SOL.
        var staking = Usd.Transactions.Where(t => t.Label == TransactionLabel.StakingRewards).ToList();
        Assert.Equal(["ETH", "SOL"], staking.Select(t => t.Lines.Single().Asset).Distinct().Order());
        Assert.All(staking, t => Assert.Equal(TransactionType.Income, t.Type));
    }

    [Fact]
    public void Transfers_LeaveOneOwnAccount_AndArriveInAnother_WithTheSameQuantity()
    {
        Assert.All(Usd.Transactions.Where(t => t.Type == TransactionType.Transfer), t =>
        {
            Assert.NotNull(t.Counterpart);
            Assert.NotEqual(t.Account, t.Counterpart);
            var outLine = t.Lines.Single(l => l.Direction == LineDirection.Out);
            var inLine = t.Lines.Single(l => l.Direction == LineDirection.In);
            Assert.Equal(outLine.Asset, inLine.Asset);
            Assert.Equal(outLine.Quantity, inLine.Quantity);
        });
        Assert.All(Usd.Transactions.Where(t => t.Type != TransactionType.Transfer), t => Assert.Null(t.Counterpart));
    }

    [Fact]
    public void TheDotPosition_IsSoldAtALoss()
    {
        var buy = Usd.Transactions.Single(t => t.Label == TransactionLabel.Buy && t.Lines.Any(l => l.Asset == "DOT"));
        var sale = Usd.Transactions.Single(t => t.OccurredAt == DemoPortfolio.LossSaleAt);
        Assert.Equal(TransactionLabel.Sell, sale.Label);
        // Bought: 118.79870747 DOT for 1,000 USD + 2.60 fee = 1,002.60 (1,000 / 8.4176 = 118.798707… floored to 8 places).
        Assert.Equal(new DemoLine(LineDirection.In, "DOT", 118.79870747m, 8.4176m), buy.Lines[0]);
        Assert.Equal(2.60m, buy.Lines.Single(l => l.Direction == LineDirection.Fee).Quantity);
        // Sold: the same quantity at 5.3907 = 640.4103… → 640.41 USD, fee 0.26 % = 1.67; net 638.74.
        Assert.Equal(new DemoLine(LineDirection.Out, "DOT", 118.79870747m, 5.3907m), sale.Lines[0]);
        Assert.Equal(640.41m, sale.Lines.Single(l => l.Direction == LineDirection.In).Quantity);
        Assert.Equal(1.67m, sale.Lines.Single(l => l.Direction == LineDirection.Fee).Quantity);
        Assert.Equal(-363.86m, 640.41m - 1.67m - (1_000m + 2.60m));
    }

    [Fact]
    public void UnitPrices_AreTheDemoClosesInTheChosenCurrency()
    {
        var eur = DemoPortfolio.Build("EUR");
        Assert.Equal(Usd.Transactions.Select(t => t.Lines.Select(l => l.Quantity).ToList()).SelectMany(q => q), eur.Transactions.SelectMany(t => t.Lines).Select(l => l.Quantity));
        var firstBuy = eur.Transactions.Single(t => t.ExternalId == "demo-0002");
        Assert.Equal(38_640m, firstBuy.Lines[0].UnitPrice); // 42,000 USD × 0.92
        Assert.Equal(0.92m, firstBuy.Lines[1].UnitPrice); // the USD paid, in EUR
        Assert.All(Usd.Transactions.SelectMany(t => t.Lines), l => Assert.True(l.Quantity > 0m && l.UnitPrice > 0m));
    }

    [Fact]
    public void AnUnknownCurrency_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => DemoPortfolio.Build("XXX"));
    }

    [Fact]
    public void TheSeeder_LooksForTheAccountTheAccountsAreaSeeds()
    {
        Assert.Equal(Kryptos.Connect.Accounts.DemoAccount.Email, DemoPortfolioSeeder.DemoAccountEmail);
    }

    [Fact]
    public void TheDemoPrices_CoverTheWholeDataSet()
    {
        Assert.True(DemoPrices.FirstDay <= DemoPortfolio.FirstDay && DemoPrices.LastDay >= DemoPortfolio.LastDay);
    }

    private static List<string> Describe(DemoDataSet set) =>
        [.. set.Transactions.Select(t => $"{t.ExternalId} {t.Account} {t.Counterpart} {t.Type} {t.Label} {t.OccurredAt:O} {t.Description} "
            + string.Join(";", t.Lines.Select(l => $"{l.Direction} {l.Asset} {l.Quantity} {l.UnitPrice}")))];
}
