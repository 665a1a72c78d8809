using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Providers;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Integrations;

/// <summary>The outcome of adding an integration: the result, the field a refusal is about (<c>name</c>, <c>chain</c>, <c>provider</c>, <c>address</c>), the new id.</summary>
public sealed record IntegrationChange(WorkspaceResult Result, string? Field = null, Guid? Id = null);

/// <summary>An integration as the pages list it, with how many transactions touch it.</summary>
public sealed record IntegrationSummary(
    Guid Id,
    IntegrationKind Kind,
    string ProviderId,
    string ProviderName,
    string Name,
    string? Chain,
    string? Address,
    SyncStatus SyncStatus,
    DateTimeOffset? LastSyncedAt,
    int TransactionCount);

/// <summary>
/// The integrations of a workspace: wallets, exchange accounts and CSV sources. Every query is
/// filtered by the membership's workspace, every change checks <see cref="WorkspaceOperation.EditPortfolio"/>
/// and drops the workspace's computed views.
/// </summary>
public sealed class IntegrationService(KryptosDbContext db, IPortfolioViews views, AuditLog audit, TimeProvider time)
{
    private const string EditDenied = "Only owners, admins and editors can change the portfolio.";

    public async Task<List<IntegrationSummary>> ListAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var integrations = await db.Integrations.AsNoTracking()
            .Where(i => i.WorkspaceId == workspaceId)
            .ToListAsync(cancellationToken);
        // A transfer touches two accounts: it counts for both.
        var own = await db.Transactions.Where(t => t.WorkspaceId == workspaceId)
            .GroupBy(t => t.IntegrationId).Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Id, g => g.Count, cancellationToken);
        var counterpart = await db.Transactions.Where(t => t.WorkspaceId == workspaceId && t.CounterpartIntegrationId != null)
            .GroupBy(t => t.CounterpartIntegrationId!.Value).Select(g => new { Id = g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Id, g => g.Count, cancellationToken);
        return [.. integrations
            .OrderBy(i => i.Name, StringComparer.OrdinalIgnoreCase)
            .Select(i => new IntegrationSummary(i.Id, i.Kind, i.ProviderId, ProviderCatalogue.Find(i.ProviderId)?.Name ?? i.ProviderId,
                i.Name, i.Chain, i.Address, i.SyncStatus, i.LastSyncedAt,
                own.GetValueOrDefault(i.Id) + counterpart.GetValueOrDefault(i.Id)))];
    }

    public async Task<IntegrationSummary?> FindAsync(Guid workspaceId, Guid integrationId, CancellationToken cancellationToken = default) =>
        (await ListAsync(workspaceId, cancellationToken)).FirstOrDefault(i => i.Id == integrationId);

    /// <summary>Adds a wallet: a public address on one of the catalogue's chains, under a wallet provider (or the chain itself).</summary>
    public async Task<IntegrationChange> AddWalletAsync(WorkspaceMembership membership, string? name, string? chain, string? address, string? providerId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return new(WorkspaceResult.Denied(EditDenied));
        }

        var chainProvider = ProviderCatalogue.Find(chain);
        if (chainProvider is not { Kind: ProviderKind.Chain })
        {
            return new(WorkspaceResult.Fail("Choose a chain from the list."), "chain");
        }

        var provider = string.IsNullOrEmpty(providerId) ? chainProvider : ProviderCatalogue.Find(providerId);
        if (provider is null || (provider.Kind != ProviderKind.Chain && provider.Kind != ProviderKind.Wallet) || !provider.Chains.Contains(chainProvider.Id))
        {
            return new(WorkspaceResult.Fail($"Choose a wallet that holds {chainProvider.Name}, or none."), "provider");
        }

        var trimmed = address?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            return new(WorkspaceResult.Fail("Enter the wallet's public address."), "address");
        }

        if (WalletAddresses.LooksSecret(trimmed))
        {
            return new(WorkspaceResult.Fail(WalletAddresses.SecretRefused), "address");
        }

        if (trimmed.Length > Integration.AddressMaxLength)
        {
            return new(WorkspaceResult.Fail("That address is too long."), "address");
        }

        if (WalletAddresses.Check(chainProvider.Id, trimmed) is { } problem)
        {
            return new(WorkspaceResult.Fail(problem), "address");
        }

        var normalized = WalletAddresses.Normalize(chainProvider.Id, trimmed);
        if (await db.Integrations.AnyAsync(i => i.WorkspaceId == membership.Workspace.Id && i.Chain == chainProvider.Id && i.Address == normalized, cancellationToken))
        {
            return new(WorkspaceResult.Fail("This wallet is already in the workspace."), "address");
        }

        var finalName = string.IsNullOrWhiteSpace(name) ? $"{provider.Name} {normalized[..Math.Min(8, normalized.Length)]}…" : name;
        return await AddAsync(membership, IntegrationKind.Wallet, provider.Id, finalName, chainProvider.Id, normalized, cancellationToken);
    }

    /// <summary>Adds an account at one of the catalogue's exchanges.</summary>
    public async Task<IntegrationChange> AddExchangeAsync(WorkspaceMembership membership, string? name, string? providerId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return new(WorkspaceResult.Denied(EditDenied));
        }

        if (ProviderCatalogue.Find(providerId) is not { Kind: ProviderKind.Exchange } provider)
        {
            return new(WorkspaceResult.Fail("Choose an exchange from the list."), "provider");
        }

        return await AddAsync(membership, IntegrationKind.Exchange, provider.Id, string.IsNullOrWhiteSpace(name) ? provider.Name : name, null, null, cancellationToken);
    }

    /// <summary>Adds a source whose transactions come as CSV files (the import page creates one on demand).</summary>
    public async Task<IntegrationChange> AddCsvSourceAsync(WorkspaceMembership membership, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return new(WorkspaceResult.Denied(EditDenied));
        }

        return await AddAsync(membership, IntegrationKind.Csv, "csv", string.IsNullOrWhiteSpace(name) ? "CSV import" : name, null, null, cancellationToken);
    }

    public async Task<WorkspaceResult> RenameAsync(WorkspaceMembership membership, Guid integrationId, string? name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return WorkspaceResult.Denied(EditDenied);
        }

        var integration = await db.Integrations.SingleOrDefaultAsync(i => i.WorkspaceId == membership.Workspace.Id && i.Id == integrationId, cancellationToken);
        if (integration is null)
        {
            return WorkspaceResult.Fail("That account is not in this workspace.");
        }

        var (error, clean) = await CheckNameAsync(membership.Workspace.Id, name, integrationId, cancellationToken);
        if (error is not null)
        {
            return WorkspaceResult.Fail(error);
        }

        var before = integration.Name;
        integration.Name = clean;
        integration.UpdatedAt = time.GetUtcNow();
        if (!string.Equals(before, clean, StringComparison.Ordinal))
        {
            audit.Record(membership.Workspace.Id, AuditActions.IntegrationRenamed, $"Renamed the account \"{before}\" to \"{clean}\"");
        }

        await db.SaveChangesAsync(cancellationToken);
        views.Invalidate(membership.Workspace.Id);
        return WorkspaceResult.Ok;
    }

    /// <summary>Deletes the integration with every transaction that touches it (also as a transfer's counterpart) and its import jobs.</summary>
    public async Task<WorkspaceResult> DeleteAsync(WorkspaceMembership membership, Guid integrationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return WorkspaceResult.Denied(EditDenied);
        }

        var workspaceId = membership.Workspace.Id;
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var name = await db.Integrations.Where(i => i.WorkspaceId == workspaceId && i.Id == integrationId).Select(i => i.Name).SingleOrDefaultAsync(cancellationToken);
        if (name is null)
        {
            return WorkspaceResult.Fail("That account is not in this workspace.");
        }

        // The database cascades to lines and jobs; transactions are deleted explicitly (and first, to
        // count them), so the rule does not depend on the provider's foreign-key support.
        var transactions = await db.Transactions.Where(t => t.WorkspaceId == workspaceId && (t.IntegrationId == integrationId || t.CounterpartIntegrationId == integrationId))
            .ExecuteDeleteAsync(cancellationToken);
        await db.Integrations.Where(i => i.WorkspaceId == workspaceId && i.Id == integrationId).ExecuteDeleteAsync(cancellationToken);
        audit.Record(workspaceId, AuditActions.IntegrationDeleted, $"Deleted the account \"{name}\" and its {transactions:N0} transaction(s)");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        views.Invalidate(workspaceId);
        return WorkspaceResult.Ok;
    }

    private async Task<IntegrationChange> AddAsync(WorkspaceMembership membership, IntegrationKind kind, string providerId, string name, string? chain, string? address, CancellationToken cancellationToken)
    {
        var (error, clean) = await CheckNameAsync(membership.Workspace.Id, name, null, cancellationToken);
        if (error is not null)
        {
            return new(WorkspaceResult.Fail(error), "name");
        }

        var now = time.GetUtcNow();
        var integration = new Integration
        {
            WorkspaceId = membership.Workspace.Id,
            Kind = kind,
            ProviderId = providerId,
            Name = clean,
            Chain = chain,
            Address = address,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Integrations.Add(integration);
        audit.Record(membership.Workspace.Id, AuditActions.IntegrationAdded,
            kind == IntegrationKind.Wallet ? $"Added the wallet \"{clean}\" ({chain} {address})" : $"Added the {(kind == IntegrationKind.Exchange ? "exchange account" : "CSV source")} \"{clean}\"");
        await db.SaveChangesAsync(cancellationToken);
        views.Invalidate(membership.Workspace.Id);
        return new(WorkspaceResult.Ok, Id: integration.Id);
    }

    /// <summary>Names are required, printable, at most 80 characters and unique in the workspace (CSV files name a transfer's counterpart by it).</summary>
    private async Task<(string? Error, string Clean)> CheckNameAsync(Guid workspaceId, string? name, Guid? except, CancellationToken cancellationToken)
    {
        var clean = name?.Trim() ?? "";
        if (clean.Length == 0)
        {
            return ("Give the account a name.", clean);
        }

        if (clean.Length > Integration.NameMaxLength)
        {
            return ($"The name can be at most {Integration.NameMaxLength} characters.", clean);
        }

        if (clean.Any(char.IsControl))
        {
            return ("The name cannot contain control characters.", clean);
        }

        var names = await db.Integrations.Where(i => i.WorkspaceId == workspaceId && i.Id != except).Select(i => i.Name).ToListAsync(cancellationToken);
        return names.Contains(clean, StringComparer.OrdinalIgnoreCase)
            ? ("Another account of this workspace already has this name.", clean)
            : (null, clean);
    }
}
