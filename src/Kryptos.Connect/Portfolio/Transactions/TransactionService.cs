using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Transactions;

/// <summary>Filters of the transaction list; null means any. <see cref="To"/> is exclusive.</summary>
public sealed record TransactionFilter(
    Guid? IntegrationId = null,
    string? Asset = null,
    TransactionType? Type = null,
    TransactionLabel? Label = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null);

/// <summary>One page of transactions, newest first, and how many match in all.</summary>
public sealed record TransactionPage(IReadOnlyList<PortfolioTransaction> Items, int Total);

/// <summary>
/// Manual transactions and the transaction list. Writes check <see cref="WorkspaceOperation.EditPortfolio"/>,
/// validate with <see cref="TransactionRules"/>, resolve accounts only inside the workspace, and drop the
/// workspace's computed views.
/// </summary>
public sealed class TransactionService(KryptosDbContext db, IPortfolioViews views, AuditLog audit, TimeProvider time)
{
    public const int MaxPageSize = 200;

    public async Task<TransactionPage> ListAsync(Guid workspaceId, TransactionFilter filter, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var query = db.Transactions.AsNoTracking().Where(t => t.WorkspaceId == workspaceId);
        if (filter.IntegrationId is { } integrationId)
        {
            query = query.Where(t => t.IntegrationId == integrationId || t.CounterpartIntegrationId == integrationId);
        }

        if (!string.IsNullOrEmpty(filter.Asset))
        {
            query = query.Where(t => t.Lines.Any(l => l.Asset == filter.Asset));
        }

        if (filter.Type is { } type)
        {
            query = query.Where(t => t.Type == type);
        }

        if (filter.Label is { } label)
        {
            query = query.Where(t => t.Label == label);
        }

        if (filter.From is { } from)
        {
            query = query.Where(t => t.OccurredAt >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(t => t.OccurredAt < to);
        }

        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(t => t.OccurredAt).ThenByDescending(t => t.Id)
            .Skip(Math.Max(0, offset)).Take(Math.Clamp(limit, 1, MaxPageSize))
            .Include(t => t.Lines)
            .Include(t => t.Integration)
            .AsSplitQuery()
            .ToListAsync(cancellationToken);
        return new TransactionPage(items, total);
    }

    /// <summary>The distinct asset symbols of the workspace, for the filter.</summary>
    public Task<List<string>> AssetsAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        db.TransactionLines.Where(l => db.Transactions.Any(t => t.Id == l.TransactionId && t.WorkspaceId == workspaceId))
            .Select(l => l.Asset).Distinct().OrderBy(a => a).ToListAsync(cancellationToken);

    public Task<PortfolioTransaction?> FindAsync(Guid workspaceId, Guid transactionId, CancellationToken cancellationToken = default) =>
        db.Transactions.AsNoTracking().Include(t => t.Lines).Include(t => t.Integration)
            .SingleOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.Id == transactionId, cancellationToken);

    /// <summary>
    /// Adds (<paramref name="transactionId"/> null) or replaces a transaction. Returns the rule errors
    /// (nothing written when there are any), or the transaction's id.
    /// </summary>
    public async Task<(WorkspaceResult Result, IReadOnlyList<RuleError> Errors, Guid? Id)> SaveAsync(WorkspaceMembership membership, Guid? transactionId, TransactionDraft draft, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(draft);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return (WorkspaceResult.Denied("Only owners, admins and editors can change the portfolio."), [], null);
        }

        var workspaceId = membership.Workspace.Id;
        var errors = TransactionRules.Check(draft);
        var accounts = await db.Integrations.Where(i => i.WorkspaceId == workspaceId).Select(i => i.Id).ToListAsync(cancellationToken);
        if (!accounts.Contains(draft.IntegrationId))
        {
            errors.Add(new("integration", "Choose an account of this workspace."));
        }

        if (draft.CounterpartIntegrationId is { } counterpart && !accounts.Contains(counterpart))
        {
            errors.Add(new("counterpart", "Choose a counterpart account of this workspace."));
        }

        if (TransactionRules.CheckText(draft.Description, PortfolioTransaction.DescriptionMaxLength, "description") is { } descriptionError)
        {
            errors.Add(new("description", descriptionError));
        }

        PortfolioTransaction? existing = null;
        if (transactionId is { } id)
        {
            existing = await db.Transactions.Include(t => t.Lines).SingleOrDefaultAsync(t => t.WorkspaceId == workspaceId && t.Id == id, cancellationToken);
            if (existing is null)
            {
                return (WorkspaceResult.Fail("That transaction is not in this workspace."), [], null);
            }
        }

        if (errors.Count > 0)
        {
            return (WorkspaceResult.Fail(errors[0].Message), errors, null);
        }

        var now = time.GetUtcNow();
        var transaction = existing ?? new PortfolioTransaction { WorkspaceId = workspaceId, Origin = TransactionOrigin.Manual, CreatedAt = now };
        transaction.Type = draft.Type;
        transaction.Label = draft.Label;
        transaction.OccurredAt = draft.OccurredAt.ToUniversalTime();
        transaction.IntegrationId = draft.IntegrationId;
        transaction.CounterpartIntegrationId = draft.CounterpartIntegrationId;
        transaction.Description = string.IsNullOrWhiteSpace(draft.Description) ? null : draft.Description.Trim();
        transaction.UpdatedAt = now;
        if (existing is not null)
        {
            db.TransactionLines.RemoveRange(existing.Lines);
            existing.Lines.Clear();
        }

        var lines = draft.Lines.Select(l => new TransactionLine
        {
            TransactionId = transaction.Id,
            Direction = l.Direction,
            Asset = l.Asset,
            Quantity = l.Quantity,
            UnitPrice = l.UnitPrice,
            Currency = membership.Workspace.BaseCurrency,
        }).ToList();
        transaction.Lines.AddRange(lines);
        if (existing is null)
        {
            db.Transactions.Add(transaction);
        }
        else
        {
            // The lines carry their own (client-generated) keys: marked as new explicitly, not as updates.
            db.TransactionLines.AddRange(lines);
        }

        audit.Record(workspaceId, existing is null ? AuditActions.TransactionAdded : AuditActions.TransactionEdited,
            $"{(existing is null ? "Added" : "Edited")} the {transaction.Label} transaction of {transaction.OccurredAt:yyyy-MM-dd HH:mm} UTC ({Describe(lines)})");
        await db.SaveChangesAsync(cancellationToken);
        views.Invalidate(workspaceId);
        return (WorkspaceResult.Ok, [], transaction.Id);
    }

    public async Task<WorkspaceResult> DeleteAsync(WorkspaceMembership membership, Guid transactionId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return WorkspaceResult.Denied("Only owners, admins and editors can change the portfolio.");
        }

        var transaction = await db.Transactions.AsNoTracking().Include(t => t.Lines)
            .SingleOrDefaultAsync(t => t.WorkspaceId == membership.Workspace.Id && t.Id == transactionId, cancellationToken);
        if (transaction is null)
        {
            return WorkspaceResult.Fail("That transaction is not in this workspace.");
        }

        await using var unit = await db.Database.BeginTransactionAsync(cancellationToken);
        await db.Transactions.Where(t => t.WorkspaceId == membership.Workspace.Id && t.Id == transactionId).ExecuteDeleteAsync(cancellationToken);
        audit.Record(membership.Workspace.Id, AuditActions.TransactionDeleted,
            $"Deleted the {transaction.Label} transaction of {transaction.OccurredAt:yyyy-MM-dd HH:mm} UTC ({Describe(transaction.Lines)})");
        await db.SaveChangesAsync(cancellationToken);
        await unit.CommitAsync(cancellationToken);
        views.Invalidate(membership.Workspace.Id);
        return WorkspaceResult.Ok;
    }

    /// <summary>The lines in a few words for the audit log, e.g. "in 0.5 BTC, out 21000 USD, fee 5 USD".</summary>
    private static string Describe(IEnumerable<TransactionLine> lines) =>
        string.Join(", ", lines.OrderBy(l => l.Direction).Select(l =>
            $"{l.Direction.ToString().ToLowerInvariant()} {l.Quantity.ToString("0.############################", System.Globalization.CultureInfo.InvariantCulture)} {l.Asset}"));
}
