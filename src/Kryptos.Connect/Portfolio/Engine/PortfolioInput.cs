using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Transactions;

namespace Kryptos.Connect.Portfolio.Engine;

/// <summary>
/// Everything the engine reads, loaded beforehand, so that <see cref="PortfolioEngine.Compute"/> is a
/// pure function: the same input always gives the same snapshot, and tests need no database.
/// </summary>
/// <param name="WorkspaceId">The workspace the snapshot is for.</param>
/// <param name="BaseCurrency">The currency of every amount (ISO 4217).</param>
/// <param name="Method">Which lots a disposal consumes first.</param>
/// <param name="Now">When the snapshot is computed; market values are for this day (UTC).</param>
/// <param name="Transactions">The workspace's transactions with their lines, in any order.</param>
/// <param name="Integrations">The workspace's accounts, for names and for checking transfer counterparts.</param>
/// <param name="CurrentPrices">Today's close per asset in <paramref name="BaseCurrency"/>, for market values.</param>
/// <param name="HistoricalCloses">
/// Closes in <paramref name="BaseCurrency"/> for the lines that carry no usable unit price
/// (<see cref="PortfolioEngine.PricesNeeded"/> lists them): income at fair value, fees, and lines
/// priced in another currency after the base currency changed.
/// </param>
public sealed record PortfolioInput(
    Guid WorkspaceId,
    string BaseCurrency,
    CostBasisMethod Method,
    DateTimeOffset Now,
    IReadOnlyList<PortfolioTransaction> Transactions,
    IReadOnlyList<Integration> Integrations,
    IReadOnlyDictionary<string, PricePoint> CurrentPrices,
    IReadOnlyDictionary<PriceKey, decimal> HistoricalCloses);

/// <summary>An asset's close on one day.</summary>
public readonly record struct PriceKey(string Asset, DateOnly Day);
