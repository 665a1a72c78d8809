using Kryptos.Connect.ConnectApi.OpenApi;
using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.ConnectApi.Portfolios;

/// <param name="Asset">The asset's symbol, e.g. <c>BTC</c>.</param>
/// <param name="Quantity">How much the workspace holds, over all accounts.</param>
/// <param name="CostBasis">Cost basis of the remaining lots, in the base currency.</param>
/// <param name="Price">Price of one unit in the base currency, or null when no price source knows the asset.</param>
/// <param name="MarketValue">Quantity × price, or null without a price.</param>
/// <param name="UnrealizedPnl">Market value − cost basis, or null without a price.</param>
/// <param name="Allocation">Share of the workspace's market value, from 0 to 1, or null without a price.</param>
/// <param name="Accounts">The holding split per account (integration).</param>
public sealed record HoldingDto(
    string Asset,
    decimal Quantity,
    decimal CostBasis,
    decimal? Price,
    decimal? MarketValue,
    decimal? UnrealizedPnl,
    decimal? Allocation,
    IReadOnlyList<AccountHoldingDto> Accounts);

/// <param name="IntegrationId">The account's id (see <c>GET /v1/integrations</c>).</param>
/// <param name="Name">The account's name.</param>
/// <param name="Quantity">How much of the asset the account holds.</param>
/// <param name="CostBasis">Cost basis of that quantity, in the base currency.</param>
/// <param name="MarketValue">Its market value, or null without a price.</param>
public sealed record AccountHoldingDto(Guid IntegrationId, string Name, decimal Quantity, decimal CostBasis, decimal? MarketValue);

/// <param name="BaseCurrency">ISO 4217 code of every amount.</param>
/// <param name="CostBasisMethod"><c>FIFO</c>, <c>LIFO</c> or <c>HIFO</c>.</param>
/// <param name="PriceSource"><c>demo</c> (bundled demo prices, not market data), <c>import</c>, <c>api</c> or <c>mixed</c>.</param>
/// <param name="PricesAsOf">The day market values are for.</param>
/// <param name="CostBasis">Total cost basis of all holdings.</param>
/// <param name="MarketValue">Total market value of the holdings that have a price.</param>
/// <param name="UnrealizedPnl">Total unrealized profit or loss.</param>
/// <param name="AssetCount">How many assets are held.</param>
public sealed record PortfolioTotalsDto(
    string BaseCurrency,
    string CostBasisMethod,
    string PriceSource,
    DateOnly PricesAsOf,
    decimal CostBasis,
    decimal MarketValue,
    decimal UnrealizedPnl,
    int AssetCount);

/// <summary>The holdings list: the list envelope plus the workspace's totals in <c>meta</c>.</summary>
/// <param name="Data">One page of holdings, largest market value first.</param>
/// <param name="Pagination">The page.</param>
/// <param name="Meta">Totals over all holdings, not only this page.</param>
public sealed record HoldingsList(IReadOnlyList<HoldingDto> Data, Pagination Pagination, PortfolioTotalsDto Meta);

/// <param name="Id">The account's (integration's) id.</param>
/// <param name="Name">Its name.</param>
/// <param name="Kind"><c>wallet</c>, <c>exchange</c> or <c>csv</c>.</param>
/// <param name="ProviderId">Its provider in <c>GET /v1/providers</c>.</param>
/// <param name="CostBasis">Cost basis of what it holds, in the base currency.</param>
/// <param name="MarketValue">Market value of what it holds that has a price.</param>
/// <param name="UnrealizedPnl">Market value − cost basis of the priced holdings.</param>
/// <param name="Holdings">Each asset it holds: quantity, cost basis and market value.</param>
public sealed record PortfolioDto(
    Guid Id,
    string Name,
    string Kind,
    string ProviderId,
    decimal CostBasis,
    decimal MarketValue,
    decimal UnrealizedPnl,
    IReadOnlyList<PortfolioAssetDto> Holdings);

/// <param name="Asset">The asset's symbol.</param>
/// <param name="Quantity">How much of it the account holds.</param>
/// <param name="CostBasis">Its cost basis.</param>
/// <param name="MarketValue">Its market value, or null without a price.</param>
public sealed record PortfolioAssetDto(string Asset, decimal Quantity, decimal CostBasis, decimal? MarketValue);

/// <summary>
/// <c>GET /v1/holdings</c> (per asset, split per account, with totals) and <c>GET /v1/portfolios</c>
/// (per account), both computed from the workspace's transactions (<c>portfolios:read</c>). They read
/// the cached snapshot of <see cref="IPortfolioViews"/>: no computation on a warm cache.
/// </summary>
public static class PortfolioEndpoints
{
    public static RouteGroupBuilder MapPortfolios(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var group = v1.MapGroup("").WithTags("Portfolios").RequireScope(KryptosScopes.PortfoliosRead);
        group.MapGet("/holdings", GetHoldingsAsync)
            .WithPaging()
            .WithName("ListHoldings")
            .WithExample(PortfolioExamples.Holdings)
            .WithSummary("Holdings per asset, with totals")
            .WithDescription("Every asset the workspace holds: quantity, cost basis, market value, unrealized P&L and allocation, split per account, largest market value first. `meta` holds the workspace's totals and where prices come from (`priceSource: demo` means bundled demo prices, not market data).");
        group.MapGet("/portfolios", GetPortfoliosAsync)
            .WithPaging()
            .WithName("ListPortfolios")
            .WithExample(PortfolioExamples.Portfolios)
            .WithSummary("Portfolios per account")
            .WithDescription("One portfolio per account (wallet, exchange account or CSV source) with what it holds and its value.");
        return v1;
    }

    public static async Task<Ok<HoldingsList>> GetHoldingsAsync(
        CurrentWorkspace current, PageRequest page, IPortfolioViews views, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(views);
        var snapshot = await views.GetAsync(current.WorkspaceId, cancellationToken);
        var holdings = snapshot.Holdings;
        var items = page.Apply(holdings).Select(ToDto).ToList();
        var envelope = ListEnvelope.Create(items, page, holdings.Count);
        return TypedResults.Ok(new HoldingsList(envelope.Data, envelope.Pagination, Totals(snapshot)));
    }

    public static async Task<Ok<ListEnvelope<PortfolioDto>>> GetPortfoliosAsync(
        CurrentWorkspace current, PageRequest page, IPortfolioViews views, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(db);
        var snapshot = await views.GetAsync(current.WorkspaceId, cancellationToken);
        var integrations = await db.Integrations.AsNoTracking()
            .Where(i => i.WorkspaceId == current.WorkspaceId)
            .OrderBy(i => i.Name).ThenBy(i => i.Id)
            .Select(i => new { i.Id, i.Name, i.Kind, i.ProviderId })
            .ToListAsync(cancellationToken);
        var byAccount = snapshot.Holdings
            .SelectMany(h => h.Accounts.Select(a => (h.Asset, Account: a)))
            .ToLookup(x => x.Account.IntegrationId);
        var portfolios = integrations.Select(i =>
        {
            var assets = byAccount[i.Id]
                .OrderByDescending(x => x.Account.MarketValue ?? 0m).ThenBy(x => x.Asset, StringComparer.Ordinal)
                .Select(x => new PortfolioAssetDto(x.Asset, x.Account.Quantity, ApiValues.Money(x.Account.CostBasis), Money(x.Account.MarketValue)))
                .ToList();
            var priced = byAccount[i.Id].Where(x => x.Account.MarketValue is not null).ToList();
            var marketValue = priced.Sum(x => x.Account.MarketValue!.Value);
            return new PortfolioDto(
                i.Id,
                i.Name,
                ApiValues.Name(i.Kind),
                i.ProviderId,
                ApiValues.Money(assets.Sum(a => a.CostBasis)),
                ApiValues.Money(marketValue),
                ApiValues.Money(marketValue - priced.Sum(x => x.Account.CostBasis)),
                assets);
        }).ToList();
        return TypedResults.Ok(ListEnvelope.Create([.. page.Apply(portfolios)], page, portfolios.Count));
    }

    private static HoldingDto ToDto(Holding h) => new(
        h.Asset,
        h.Quantity,
        ApiValues.Money(h.CostBasis),
        h.Price,
        Money(h.MarketValue),
        Money(h.UnrealizedPnl),
        h.Allocation is { } allocation ? ApiValues.Ratio(allocation) : null,
        [.. h.Accounts.Select(a => new AccountHoldingDto(a.IntegrationId, a.IntegrationName, a.Quantity, ApiValues.Money(a.CostBasis), Money(a.MarketValue)))]);

    private static PortfolioTotalsDto Totals(PortfolioSnapshot snapshot) => new(
        snapshot.BaseCurrency,
        snapshot.Method.ToString().ToUpperInvariant(),
        snapshot.Prices.Source,
        snapshot.Prices.AsOf,
        ApiValues.Money(snapshot.Totals.CostBasis),
        ApiValues.Money(snapshot.Totals.MarketValue),
        ApiValues.Money(snapshot.Totals.UnrealizedPnl),
        snapshot.Totals.AssetCount);

    private static decimal? Money(decimal? value) => value is { } v ? ApiValues.Money(v) : null;
}
