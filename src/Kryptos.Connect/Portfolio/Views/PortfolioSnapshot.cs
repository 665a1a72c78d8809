using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Transactions;

namespace Kryptos.Connect.Portfolio.Views;

/// <summary>
/// Everything computed from a workspace's transactions at one moment, under its cost-basis method:
/// holdings, realized gains, income and the ledger. Built by the engine, cached per workspace by
/// <see cref="IPortfolioViews"/> and dropped when the workspace's data changes. Amounts are in
/// <see cref="BaseCurrency"/>.
/// </summary>
public sealed record PortfolioSnapshot(
    Guid WorkspaceId,
    string BaseCurrency,
    CostBasisMethod Method,
    DateTimeOffset ComputedAt,
    PriceInfo Prices,
    IReadOnlyList<Holding> Holdings,
    PortfolioTotals Totals,
    IReadOnlyList<Disposal> Disposals,
    IReadOnlyList<IncomeEvent> Income,
    IReadOnlyList<LedgerEntry> Ledger,
    IReadOnlyList<TaxYearSummary> TaxYears)
{
    /// <summary>The summary of a tax year, or null when the workspace has no transaction in it.</summary>
    public TaxYearSummary? TaxYear(int year) => TaxYears.FirstOrDefault(y => y.Year == year);
}

/// <summary>
/// Where market values come from: <c>demo</c> (the bundled snapshot), <c>import</c> (the workspace's
/// own price CSV), <c>api</c> (the configured price API), or <c>mixed</c>; and the day they are for.
/// </summary>
public sealed record PriceInfo(string Source, DateOnly AsOf);

/// <summary>
/// One asset held, with its split per account. <see cref="Price"/> is the unit price in the base
/// currency, null when no price source knows the asset; <see cref="Allocation"/> is the share of the
/// workspace's market value, 0 to 1, null without a price.
/// </summary>
public sealed record Holding(
    string Asset,
    decimal Quantity,
    decimal CostBasis,
    decimal? Price,
    decimal? MarketValue,
    decimal? UnrealizedPnl,
    decimal? Allocation,
    IReadOnlyList<AccountHolding> Accounts);

/// <summary>The part of a holding in one integration.</summary>
public sealed record AccountHolding(
    Guid IntegrationId,
    string IntegrationName,
    decimal Quantity,
    decimal CostBasis,
    decimal? MarketValue);

/// <summary>Workspace totals over the holdings that have a price (cost basis over all).</summary>
public sealed record PortfolioTotals(
    decimal CostBasis,
    decimal MarketValue,
    decimal UnrealizedPnl,
    int AssetCount);

/// <summary>Short term: held one year or less; long term: more than one year.</summary>
public enum HoldingTerm
{
    ShortTerm,
    LongTerm,
}

/// <summary>
/// One lot (or part of a lot) consumed by a disposal: a sale, a swap or a fee paid in crypto. A
/// disposal that consumes several lots yields several rows with the same transaction id.
/// </summary>
public sealed record Disposal(
    Guid TransactionId,
    Guid IntegrationId,
    string Asset,
    decimal Quantity,
    DateTimeOffset AcquiredAt,
    DateTimeOffset DisposedAt,
    decimal Proceeds,
    decimal CostBasis,
    decimal Gain,
    HoldingTerm Term)
{
    public int Year => DisposedAt.UtcDateTime.Year;
}

/// <summary>Assets received as income (staking, rewards, airdrops), at fair value when received.</summary>
public sealed record IncomeEvent(
    Guid TransactionId,
    Guid IntegrationId,
    DateTimeOffset ReceivedAt,
    string Asset,
    decimal Quantity,
    decimal FairValue,
    TransactionLabel Label)
{
    public int Year => ReceivedAt.UtcDateTime.Year;
}

/// <summary>The tax summary of one calendar year (UTC).</summary>
public sealed record TaxYearSummary(
    int Year,
    decimal ShortTermGain,
    decimal LongTermGain,
    decimal Proceeds,
    decimal CostBasis,
    decimal Income,
    int DisposalCount,
    int IncomeCount)
{
    /// <summary>Short plus long term.</summary>
    public decimal RealizedGain => ShortTermGain + LongTermGain;
}

/// <summary>
/// The double-entry journal entry of one transaction. The debits equal the credits, in the base
/// currency.
/// </summary>
public sealed record LedgerEntry(
    Guid TransactionId,
    DateTimeOffset Date,
    string Description,
    IReadOnlyList<Posting> Postings);

/// <summary>
/// One posting. <see cref="Account"/> names the account, e.g. <c>Assets:Kraken:BTC</c>,
/// <c>Expenses:Fees</c>, <c>Income:Staking</c>, <c>Income:RealizedGains</c>,
/// <c>Expenses:RealizedLosses</c>, <c>Equity:Contributions</c>; asset postings carry the quantity.
/// </summary>
public sealed record Posting(
    string Account,
    string? Asset,
    decimal? Quantity,
    decimal Debit,
    decimal Credit);

/// <summary>
/// The computed views of each workspace, cached in memory and rebuilt on the next read after the
/// workspace's data (transactions, integrations, prices, cost-basis method) changes.
/// </summary>
public interface IPortfolioViews
{
    /// <summary>The workspace's snapshot; computed on a miss, then served from memory.</summary>
    ValueTask<PortfolioSnapshot> GetAsync(Guid workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Drops the cached snapshot; every write to a workspace's portfolio data calls this.</summary>
    void Invalidate(Guid workspaceId);
}
