using Kryptos.Connect.ConnectApi.Transactions;
using Kryptos.Connect.ConnectApi.OpenApi;
using Kryptos.Connect.Core;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kryptos.Connect.ConnectApi.Ledgers;

/// <param name="Account">The ledger account, e.g. <c>Assets:Kraken:BTC</c>, <c>Expenses:Fees</c>, <c>Income:StakingRewards</c>.</param>
/// <param name="Asset">For asset accounts: the asset moved; otherwise null.</param>
/// <param name="Quantity">For asset accounts: the quantity moved; otherwise null.</param>
/// <param name="Debit">Debit in the base currency (zero when the posting is a credit).</param>
/// <param name="Credit">Credit in the base currency (zero when the posting is a debit).</param>
public sealed record PostingDto(string Account, string? Asset, decimal? Quantity, decimal Debit, decimal Credit);

/// <param name="TransactionId">The transaction the entry records.</param>
/// <param name="Date">When it happened (UTC).</param>
/// <param name="Description">What happened.</param>
/// <param name="Postings">The postings; their debits equal their credits.</param>
public sealed record LedgerEntryDto(Guid TransactionId, DateTimeOffset Date, string Description, IReadOnlyList<PostingDto> Postings);

/// <summary>
/// <c>GET /v1/ledgers</c>: the double-entry journal derived from the transactions (<c>accounting:read</c>),
/// oldest first. Every entry balances: its debits equal its credits in the base currency.
/// </summary>
public static class LedgerEndpoints
{
    public static RouteGroupBuilder MapLedgers(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var group = v1.MapGroup("/ledgers").WithTags("Accounting").RequireScope(KryptosScopes.AccountingRead);
        group.MapGet("", ListEntriesAsync)
            .WithPaging()
            .WithName("ListLedgerEntries")
            .WithExample(PortfolioExamples.Ledgers)
            .WithSummary("Double-entry ledger postings")
            .WithDescription("One journal entry per transaction, oldest first, with postings to asset accounts, fees, income and realized gains or losses in the base currency. Filter by a time range `from` (inclusive) / `to` (exclusive), as for transactions.");
        return v1;
    }

    public static async Task<Results<Ok<ListEnvelope<LedgerEntryDto>>, ProblemHttpResult>> ListEntriesAsync(
        CurrentWorkspace current, PageRequest page, IPortfolioViews views, string? from, string? to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(views);
        DateTimeOffset? start = null, end = null;
        if (from is not null)
        {
            if (!TransactionEndpoints.TryParseTime(from, out var value))
            {
                return InvalidFilter("from");
            }

            start = value;
        }

        if (to is not null)
        {
            if (!TransactionEndpoints.TryParseTime(to, out var value))
            {
                return InvalidFilter("to");
            }

            end = value;
        }

        var snapshot = await views.GetAsync(current.WorkspaceId, cancellationToken);
        var entries = snapshot.Ledger
            .Where(e => (start is null || e.Date >= start) && (end is null || e.Date < end))
            .ToList();
        var items = page.Apply(entries)
            .Select(e => new LedgerEntryDto(e.TransactionId, e.Date, e.Description, Rounded(e.Postings)))
            .ToList();
        return TypedResults.Ok(ListEnvelope.Create(items, page, entries.Count));
    }

    /// <summary>
    /// The postings in money (2 decimals), still balanced: the engine balances each entry exactly, but
    /// rounding every posting on its own can leave a cent between debits and credits. That cent goes
    /// to the largest posting, where it changes the least.
    /// </summary>
    internal static List<PostingDto> Rounded(IReadOnlyList<Posting> postings)
    {
        var rounded = postings.Select(p => new PostingDto(p.Account, p.Asset, p.Quantity, ApiValues.Money(p.Debit), ApiValues.Money(p.Credit))).ToList();
        var difference = rounded.Sum(p => p.Debit) - rounded.Sum(p => p.Credit);
        if (difference != 0 && rounded.Count > 0)
        {
            var largest = rounded.Select((p, i) => (Amount: Math.Max(p.Debit, p.Credit), Index: i)).MaxBy(x => x.Amount).Index;
            var posting = rounded[largest];
            rounded[largest] = posting.Debit >= posting.Credit
                ? posting with { Debit = posting.Debit - difference }
                : posting with { Credit = posting.Credit + difference };
        }

        return rounded;
    }

    private static ProblemHttpResult InvalidFilter(string parameter) =>
        ApiProblems.BadRequest(
            "invalid_filter",
            parameter + " must be a day (2025-01-01) or an ISO 8601 time with Z or an offset.",
            new Dictionary<string, object?> { ["parameter"] = parameter });
}
