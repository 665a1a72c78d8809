using System.Globalization;
using Kryptos.Connect.ConnectApi.OpenApi;
using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Transactions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.ConnectApi.Transactions;

/// <param name="Asset">The asset's symbol, e.g. <c>BTC</c> or <c>USD</c>.</param>
/// <param name="Quantity">How much moved; always positive.</param>
/// <param name="UnitPrice">Price of one unit in <c>currency</c> when it happened, or null when unknown.</param>
/// <param name="Currency">The base currency the price is in (ISO 4217).</param>
public sealed record AssetAmountDto(string Asset, decimal Quantity, decimal? UnitPrice, string Currency);

/// <param name="Id">The transaction's id.</param>
/// <param name="IntegrationId">The account it happened in (for a transfer: the account it left).</param>
/// <param name="CounterpartIntegrationId">For a transfer: the workspace's account it arrived in; otherwise null.</param>
/// <param name="Type"><c>deposit</c>, <c>withdrawal</c>, <c>trade</c>, <c>transfer</c>, <c>income</c> or <c>fee</c>.</param>
/// <param name="Label">One of the fixed labels: <c>buy</c>, <c>sell</c>, <c>swap</c>, <c>staking_rewards</c>, <c>airdrops</c> ….</param>
/// <param name="OccurredAt">When it happened (UTC).</param>
/// <param name="Description">A note, if any.</param>
/// <param name="Origin">How it entered Kryptos: <c>manual</c>, <c>csv</c> or <c>demo</c>.</param>
/// <param name="Incoming">Assets received.</param>
/// <param name="Outgoing">Assets sent or sold.</param>
/// <param name="Fees">Fees paid.</param>
public sealed record TransactionDto(
    Guid Id,
    Guid IntegrationId,
    Guid? CounterpartIntegrationId,
    string Type,
    string Label,
    DateTimeOffset OccurredAt,
    string? Description,
    string Origin,
    IReadOnlyList<AssetAmountDto> Incoming,
    IReadOnlyList<AssetAmountDto> Outgoing,
    IReadOnlyList<AssetAmountDto> Fees);

/// <summary>
/// <c>GET /v1/transactions</c> with filters and paging, and <c>GET /v1/transactions/{id}</c>
/// (<c>transactions:read</c>). Newest first. Every query filters by the token's workspace, so another
/// workspace's transaction is a 404.
/// </summary>
public static class TransactionEndpoints
{
    public static RouteGroupBuilder MapTransactions(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var group = v1.MapGroup("/transactions").WithTags("Transactions").RequireScope(KryptosScopes.TransactionsRead);
        group.MapGet("", ListTransactionsAsync)
            .WithPaging()
            .WithName("ListTransactions")
            .WithExample(PortfolioExamples.Transactions)
            .WithSummary("Transactions, newest first")
            .WithDescription("Filter by `integration` (id), `asset` (symbol, on any side), `type`, `label`, and a time range `from` (inclusive) / `to` (exclusive): a day (`2025-01-01`, midnight UTC) or an ISO 8601 time with `Z` or an offset. A bad filter value is a 400 problem with code `invalid_filter` naming the parameter.");
        group.MapGet("/{id}", GetTransactionAsync)
            .WithName("GetTransaction")
            .WithExample(PortfolioExamples.Transaction)
            .WithSummary("One transaction")
            .WithDescription("A transaction of the workspace with its incoming, outgoing and fee lines. Another workspace's id, or an id that is not a UUID, is a 404.");
        return v1;
    }

    public static async Task<Results<Ok<ListEnvelope<TransactionDto>>, ProblemHttpResult>> ListTransactionsAsync(
        CurrentWorkspace current,
        PageRequest page,
        KryptosDbContext db,
        string? integration,
        string? asset,
        string? type,
        string? label,
        string? from,
        string? to,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Transactions.AsNoTracking().Where(t => t.WorkspaceId == current.WorkspaceId);

        if (integration is not null)
        {
            if (!Guid.TryParseExact(integration, "D", out var integrationId))
            {
                return InvalidFilter("integration", "integration must be an integration id (a UUID).");
            }

            query = query.Where(t => t.IntegrationId == integrationId || t.CounterpartIntegrationId == integrationId);
        }

        if (asset is not null)
        {
            if (asset.Length is 0 or > TransactionLine.AssetMaxLength || !asset.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c)))
            {
                return InvalidFilter("asset", "asset must be an asset symbol in upper case, e.g. BTC.");
            }

            query = query.Where(t => t.Lines.Any(l => l.Asset == asset));
        }

        if (type is not null)
        {
            if (!ApiValues.TryParse<TransactionType>(type, out var parsedType))
            {
                return InvalidFilter("type", "type must be one of: " + string.Join(", ", ApiValues.Names<TransactionType>()) + ".");
            }

            query = query.Where(t => t.Type == parsedType);
        }

        if (label is not null)
        {
            if (!ApiValues.TryParse<TransactionLabel>(label, out var parsedLabel))
            {
                return InvalidFilter("label", "label must be one of: " + string.Join(", ", ApiValues.Names<TransactionLabel>()) + ".");
            }

            query = query.Where(t => t.Label == parsedLabel);
        }

        DateTimeOffset? start = null;
        if (from is not null)
        {
            if (!TryParseTime(from, out var value))
            {
                return InvalidFilter("from", "from must be a time in ISO 8601 with a Z or an offset, e.g. 2025-01-01T00:00:00Z.");
            }

            start = value;
            query = query.Where(t => t.OccurredAt >= value);
        }

        if (to is not null)
        {
            if (!TryParseTime(to, out var value))
            {
                return InvalidFilter("to", "to must be a time in ISO 8601 with a Z or an offset, e.g. 2026-01-01T00:00:00Z.");
            }

            if (start is { } s && value < s)
            {
                return InvalidFilter("to", "to must not be before from.");
            }

            query = query.Where(t => t.OccurredAt < value);
        }

        var total = await query.CountAsync(cancellationToken);
        var transactions = await page.Apply(query.OrderByDescending(t => t.OccurredAt).ThenByDescending(t => t.Id))
            .Include(t => t.Lines)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(ListEnvelope.Create([.. transactions.Select(ToDto)], page, total));
    }

    public static async Task<Results<Ok<DataEnvelope<TransactionDto>>, ProblemHttpResult>> GetTransactionAsync(
        CurrentWorkspace current, string id, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(db);
        if (!Guid.TryParseExact(id, "D", out var transactionId))
        {
            return ApiProblems.NotFound("There is no transaction with this id in the workspace.");
        }

        var transaction = await db.Transactions.AsNoTracking()
            .Include(t => t.Lines)
            .SingleOrDefaultAsync(t => t.Id == transactionId && t.WorkspaceId == current.WorkspaceId, cancellationToken);
        return transaction is null
            ? ApiProblems.NotFound("There is no transaction with this id in the workspace.")
            : TypedResults.Ok(new DataEnvelope<TransactionDto>(ToDto(transaction)));
    }

    internal static TransactionDto ToDto(PortfolioTransaction t) => new(
        t.Id,
        t.IntegrationId,
        t.CounterpartIntegrationId,
        ApiValues.Name(t.Type),
        ApiValues.Name(t.Label),
        t.OccurredAt,
        t.Description,
        ApiValues.Name(t.Origin),
        Lines(t, LineDirection.In),
        Lines(t, LineDirection.Out),
        Lines(t, LineDirection.Fee));

    private static List<AssetAmountDto> Lines(PortfolioTransaction t, LineDirection direction) =>
        [.. t.Lines.Where(l => l.Direction == direction).OrderBy(l => l.Id).Select(l => new AssetAmountDto(l.Asset, l.Quantity, l.UnitPrice, l.Currency))];

    /// <summary>
    /// A day (<c>2025-01-01</c>, midnight UTC) or an ISO 8601 time with an explicit offset or Z; a time
    /// without one is ambiguous and refused.
    /// </summary>
    internal static bool TryParseTime(string text, out DateTimeOffset value)
    {
        value = default;
        if (text.Length == 10 && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            value = new DateTimeOffset(day, TimeOnly.MinValue, TimeSpan.Zero);
            return true;
        }

        if (text.Length is < 10 or > 40 || !(text.EndsWith('Z') || text.EndsWith('z') || HasOffset(text)))
        {
            return false;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return false;
        }

        value = parsed.ToUniversalTime();
        return true;
    }

    private static bool HasOffset(string text) =>
        text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':';

    private static ProblemHttpResult InvalidFilter(string parameter, string detail) =>
        ApiProblems.BadRequest("invalid_filter", detail, new Dictionary<string, object?> { ["parameter"] = parameter });
}
