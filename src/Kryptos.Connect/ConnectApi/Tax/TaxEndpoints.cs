using System.Globalization;
using Kryptos.Connect.ConnectApi.OpenApi;
using Kryptos.Connect.Core;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kryptos.Connect.ConnectApi.Tax;

/// <param name="Year">The calendar year (UTC).</param>
/// <param name="BaseCurrency">ISO 4217 code of every amount.</param>
/// <param name="CostBasisMethod">The method the gains were computed with: <c>FIFO</c>, <c>LIFO</c> or <c>HIFO</c>.</param>
/// <param name="ShortTermGain">Net realized gain (negative: loss) on assets held one year or less.</param>
/// <param name="LongTermGain">Net realized gain (negative: loss) on assets held more than one year.</param>
/// <param name="RealizedGain">Short plus long term.</param>
/// <param name="Proceeds">What the disposals brought in, net of fees.</param>
/// <param name="CostBasis">The cost basis of what was disposed of.</param>
/// <param name="Income">Income (staking, rewards, airdrops …) at fair value when received.</param>
/// <param name="IncomeByLabel">Income per label, e.g. <c>{"staking_rewards": "120.50"}</c>.</param>
/// <param name="DisposalCount">How many lot disposals (rows of <c>/disposals</c>).</param>
/// <param name="IncomeCount">How many income events.</param>
public sealed record TaxSummaryDto(
    int Year,
    string BaseCurrency,
    string CostBasisMethod,
    decimal ShortTermGain,
    decimal LongTermGain,
    decimal RealizedGain,
    decimal Proceeds,
    decimal CostBasis,
    decimal Income,
    IReadOnlyDictionary<string, decimal> IncomeByLabel,
    int DisposalCount,
    int IncomeCount);

/// <param name="TransactionId">The transaction that disposed of the asset.</param>
/// <param name="IntegrationId">The account it left.</param>
/// <param name="Asset">The asset's symbol.</param>
/// <param name="Quantity">How much of one lot was disposed of.</param>
/// <param name="AcquiredAt">When that lot was acquired (UTC).</param>
/// <param name="DisposedAt">When it was disposed of (UTC).</param>
/// <param name="Proceeds">Its share of the proceeds, net of fees.</param>
/// <param name="CostBasis">Its cost basis.</param>
/// <param name="Gain">Proceeds − cost basis (negative: a loss).</param>
/// <param name="Term"><c>short_term</c> (held one year or less) or <c>long_term</c>.</param>
public sealed record DisposalDto(
    Guid TransactionId,
    Guid IntegrationId,
    string Asset,
    decimal Quantity,
    DateTimeOffset AcquiredAt,
    DateTimeOffset DisposedAt,
    decimal Proceeds,
    decimal CostBasis,
    decimal Gain,
    string Term);

/// <summary>
/// <c>GET /v1/tax/{year}/summary</c> and <c>GET /v1/tax/{year}/disposals</c> (<c>tax:read</c>), under the
/// workspace's cost-basis method. A year is four digits from 2009 (Bitcoin's first year) to the current
/// year; another number is a 404 <c>unknown_year</c>, anything else a 400 <c>invalid_year</c>.
/// </summary>
public static class TaxEndpoints
{
    /// <summary>No crypto asset was disposed of before Bitcoin's first year.</summary>
    public const int FirstYear = 2009;

    public static RouteGroupBuilder MapTax(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var group = v1.MapGroup("/tax/{year}").WithTags("Tax").RequireScope(KryptosScopes.TaxRead);
        group.MapGet("/summary", GetSummaryAsync)
            .WithName("GetTaxSummary")
            .WithExample(PortfolioExamples.TaxSummary)
            .WithSummary("Realized gains and income of a year")
            .WithDescription("Short- and long-term realized gains (held more than one year is long term), proceeds, cost basis and income at fair value, for one calendar year in UTC, under the workspace's cost-basis method. A year without activity answers zeros.");
        group.MapGet("/disposals", ListDisposalsAsync)
            .WithPaging()
            .WithName("ListTaxDisposals")
            .WithExample(PortfolioExamples.Disposals)
            .WithSummary("Disposals of a year, per lot")
            .WithDescription("Every lot (or part of one) disposed of in the year, oldest first, with proceeds, cost basis, gain and term. Filter by `asset` and `term` (`short_term`, `long_term`).");
        return v1;
    }

    public static async Task<Results<Ok<DataEnvelope<TaxSummaryDto>>, ProblemHttpResult>> GetSummaryAsync(
        CurrentWorkspace current, string year, IPortfolioViews views, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(time);
        if (CheckYear(year, time, out var taxYear) is { } problem)
        {
            return problem;
        }

        var snapshot = await views.GetAsync(current.WorkspaceId, cancellationToken);
        var summary = snapshot.TaxYear(taxYear) ?? new TaxYearSummary(taxYear, 0m, 0m, 0m, 0m, 0m, 0, 0);
        var incomeByLabel = snapshot.Income
            .Where(i => i.Year == taxYear)
            .GroupBy(i => ApiValues.Name(i.Label), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => ApiValues.Money(g.Sum(i => i.FairValue)), StringComparer.Ordinal);
        return TypedResults.Ok(new DataEnvelope<TaxSummaryDto>(new TaxSummaryDto(
            taxYear,
            snapshot.BaseCurrency,
            snapshot.Method.ToString().ToUpperInvariant(),
            ApiValues.Money(summary.ShortTermGain),
            ApiValues.Money(summary.LongTermGain),
            ApiValues.Money(summary.RealizedGain),
            ApiValues.Money(summary.Proceeds),
            ApiValues.Money(summary.CostBasis),
            ApiValues.Money(summary.Income),
            incomeByLabel,
            summary.DisposalCount,
            summary.IncomeCount)));
    }

    public static async Task<Results<Ok<ListEnvelope<DisposalDto>>, ProblemHttpResult>> ListDisposalsAsync(
        CurrentWorkspace current,
        string year,
        PageRequest page,
        IPortfolioViews views,
        TimeProvider time,
        string? asset,
        string? term,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(views);
        ArgumentNullException.ThrowIfNull(time);
        if (CheckYear(year, time, out var taxYear) is { } problem)
        {
            return problem;
        }

        HoldingTerm? wantedTerm = null;
        if (term is not null)
        {
            if (!ApiValues.TryParse<HoldingTerm>(term, out var parsed))
            {
                return ApiProblems.BadRequest("invalid_filter", "term must be short_term or long_term.", new Dictionary<string, object?> { ["parameter"] = "term" });
            }

            wantedTerm = parsed;
        }

        var snapshot = await views.GetAsync(current.WorkspaceId, cancellationToken);
        var disposals = snapshot.Disposals
            .Where(d => d.Year == taxYear)
            .Where(d => asset is null || string.Equals(d.Asset, asset, StringComparison.Ordinal))
            .Where(d => wantedTerm is null || d.Term == wantedTerm)
            .ToList();
        var items = page.Apply(disposals)
            .Select(d => new DisposalDto(
                d.TransactionId,
                d.IntegrationId,
                d.Asset,
                d.Quantity,
                d.AcquiredAt,
                d.DisposedAt,
                ApiValues.Money(d.Proceeds),
                ApiValues.Money(d.CostBasis),
                ApiValues.Money(d.Gain),
                ApiValues.Name(d.Term)))
            .ToList();
        return TypedResults.Ok(ListEnvelope.Create(items, page, disposals.Count));
    }

    /// <summary>Null when the year is one the API knows; otherwise the problem to answer.</summary>
    private static ProblemHttpResult? CheckYear(string text, TimeProvider time, out int year)
    {
        if (text.Length != 4 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out year))
        {
            year = 0;
            return ApiProblems.BadRequest("invalid_year", "The year must be four digits, e.g. 2025.");
        }

        var currentYear = time.GetUtcNow().Year;
        return year < FirstYear || year > currentYear
            ? ApiProblems.Create(StatusCodes.Status404NotFound, "unknown_year", "Unknown year", ApiValues.Invariant($"Tax years run from {FirstYear} to {currentYear}."))
            : null;
    }
}
