using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Engine;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;

namespace Kryptos.UnitTests.Portfolio.Engine;

/// <summary>
/// Writes a workspace's transactions in the words of the tests ("buy 1 BTC at 10,000 on Coinbase")
/// and runs the engine over them. Amounts are USD, the base currency.
/// </summary>
internal sealed class PortfolioBuilder
{
    public static readonly DateTimeOffset Now = new(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public Integration Coinbase { get; } = new() { ProviderId = "coinbase", Name = "Coinbase", Kind = IntegrationKind.Exchange };
    public Integration Ledger { get; } = new() { ProviderId = "ledger", Name = "Ledger", Kind = IntegrationKind.Wallet };
    public Integration Kraken { get; } = new() { ProviderId = "kraken", Name = "Kraken", Kind = IntegrationKind.Exchange };

    public Guid WorkspaceId { get; } = Guid.NewGuid();
    public List<PortfolioTransaction> Transactions { get; } = [];
    public Dictionary<string, PricePoint> Prices { get; } = new(StringComparer.Ordinal);
    public Dictionary<PriceKey, decimal> Closes { get; } = [];

    public static DateTimeOffset Day(string date) => DateTimeOffset.Parse(date + "T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Buys with USD: In the asset at its price, Out the USD paid, and an optional fee in USD.</summary>
    public PortfolioTransaction Buy(string date, string asset, decimal quantity, decimal price, decimal feeUsd = 0, Integration? account = null) =>
        Add(TransactionType.Trade, TransactionLabel.Buy, date, account,
            Line(LineDirection.In, asset, quantity, price),
            Line(LineDirection.Out, "USD", quantity * price, 1),
            feeUsd > 0 ? Line(LineDirection.Fee, "USD", feeUsd, 1) : null);

    /// <summary>Sells for USD: Out the asset at its price, In the USD received, and an optional fee in USD.</summary>
    public PortfolioTransaction Sell(string date, string asset, decimal quantity, decimal price, decimal feeUsd = 0, Integration? account = null) =>
        Add(TransactionType.Trade, TransactionLabel.Sell, date, account,
            Line(LineDirection.Out, asset, quantity, price),
            Line(LineDirection.In, "USD", quantity * price, 1),
            feeUsd > 0 ? Line(LineDirection.Fee, "USD", feeUsd, 1) : null);

    public PortfolioTransaction Stake(string date, string asset, decimal quantity, decimal? price, Integration? account = null) =>
        Add(TransactionType.Income, TransactionLabel.StakingRewards, date, account, Line(LineDirection.In, asset, quantity, price));

    public PortfolioTransaction DepositUsd(string date, decimal amount, Integration? account = null) =>
        Add(TransactionType.Deposit, TransactionLabel.Deposit, date, account, Line(LineDirection.In, "USD", amount, 1));

    public PortfolioTransaction Transfer(string date, string asset, decimal sent, decimal? received, Integration from, Integration to, decimal? price = null)
    {
        var transaction = Add(TransactionType.Transfer, TransactionLabel.Transfer, date, from,
            Line(LineDirection.Out, asset, sent, price),
            received is { } r ? Line(LineDirection.In, asset, r, price) : null);
        transaction.CounterpartIntegrationId = to.Id;
        return transaction;
    }

    public PortfolioTransaction Add(TransactionType type, TransactionLabel label, string date, Integration? account, params TransactionLine?[] lines)
    {
        var transaction = new PortfolioTransaction
        {
            WorkspaceId = WorkspaceId,
            IntegrationId = (account ?? Coinbase).Id,
            Type = type,
            Label = label,
            OccurredAt = Day(date),
        };
        transaction.Lines.AddRange(lines.OfType<TransactionLine>());
        Transactions.Add(transaction);
        return transaction;
    }

    public static TransactionLine Line(LineDirection direction, string asset, decimal quantity, decimal? price) =>
        new() { Direction = direction, Asset = asset, Quantity = quantity, UnitPrice = price, Currency = "USD" };

    public void Price(string asset, decimal close, string source = "demo") =>
        Prices[asset] = new PricePoint(asset, DateOnly.FromDateTime(Now.UtcDateTime), close, "USD", source);

    public PortfolioSnapshot Compute(CostBasisMethod method = CostBasisMethod.Fifo) =>
        PortfolioEngine.Compute(new PortfolioInput(
            WorkspaceId, "USD", method, Now, Transactions, [Coinbase, Ledger, Kraken], Prices, Closes));
}
