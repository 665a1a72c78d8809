using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Demo;

/// <summary>What a demo load did.</summary>
public sealed record DemoLoadResult(int Transactions, int AccountsCreated, int ReplacedTransactions);

/// <summary>
/// Loads the demo data set (<see cref="DemoPortfolio"/>) into a workspace, priced in its base
/// currency. It replaces the workspace's earlier demo transactions (<see cref="TransactionOrigin.Demo"/>)
/// and nothing else: manual and imported transactions stay, and the demo accounts are reused when
/// they exist (recognised by provider and name), so loading twice gives the same data. The caller
/// checks <c>EditPortfolio</c>.
/// </summary>
public sealed class DemoDataLoader(KryptosDbContext db, AuditLog audit, TimeProvider time, IServiceProvider services)
{
    // One load at a time in this process: two concurrent loads into one workspace would both delete
    // and then both insert.
    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>How many demo transactions <paramref name="workspaceId"/> holds now.</summary>
    public Task<int> CountDemoTransactionsAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        db.Transactions.CountAsync(t => t.WorkspaceId == workspaceId && t.Origin == TransactionOrigin.Demo, cancellationToken);

    /// <summary>Replaces the demo data of <paramref name="workspaceId"/>; null when the workspace does not exist.</summary>
    public async Task<DemoLoadResult?> LoadDemoAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await Gate.WaitAsync(cancellationToken);
        try
        {
            var workspace = await db.Workspaces.SingleOrDefaultAsync(w => w.Id == workspaceId, cancellationToken);
            if (workspace is null)
            {
                return null;
            }

            var data = DemoPortfolio.Build(workspace.BaseCurrency);
            var now = time.GetUtcNow();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var demo = db.Transactions.Where(t => t.WorkspaceId == workspaceId && t.Origin == TransactionOrigin.Demo);
            await db.TransactionLines.Where(l => demo.Any(t => t.Id == l.TransactionId)).ExecuteDeleteAsync(cancellationToken);
            var replaced = await demo.ExecuteDeleteAsync(cancellationToken);

            var existing = await db.Integrations.Where(i => i.WorkspaceId == workspaceId).ToListAsync(cancellationToken);
            var accounts = new Dictionary<string, Integration>(StringComparer.Ordinal);
            var created = 0;
            foreach (var account in data.Accounts)
            {
                var integration = existing.FirstOrDefault(i => i.ProviderId == account.ProviderId && i.Name == account.Name && i.Kind == account.Kind);
                if (integration is null)
                {
                    integration = new Integration
                    {
                        WorkspaceId = workspaceId,
                        Kind = account.Kind,
                        ProviderId = account.ProviderId,
                        Name = account.Name,
                        Chain = account.Chain,
                        Address = account.Address,
                        CreatedAt = now,
                    };
                    db.Integrations.Add(integration);
                    created++;
                }

                integration.SyncStatus = SyncStatus.Synced;
                integration.LastSyncedAt = now;
                integration.UpdatedAt = now;
                accounts[account.Key] = integration;
            }

            foreach (var planned in data.Transactions)
            {
                var entity = new PortfolioTransaction
                {
                    WorkspaceId = workspaceId,
                    IntegrationId = accounts[planned.Account].Id,
                    CounterpartIntegrationId = planned.Counterpart is { } to ? accounts[to].Id : null,
                    Type = planned.Type,
                    Label = planned.Label,
                    OccurredAt = planned.OccurredAt,
                    Description = planned.Description,
                    ExternalId = planned.ExternalId,
                    Origin = TransactionOrigin.Demo,
                    CreatedAt = now,
                    UpdatedAt = now,
                };
                entity.Lines.AddRange(planned.Lines.Select(l => new TransactionLine
                {
                    TransactionId = entity.Id,
                    Direction = l.Direction,
                    Asset = l.Asset,
                    Quantity = l.Quantity,
                    UnitPrice = l.UnitPrice,
                    Currency = data.Currency,
                }));
                db.Transactions.Add(entity);
            }

            audit.Record(workspaceId, AuditActions.DemoDataLoaded,
                $"Loaded the demo data: {data.Transactions.Count} transactions ({replaced} earlier demo transaction(s) replaced, {created} account(s) created)");
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            // The engine's cached views are not registered in every build; without them there is nothing to drop.
            services.GetService<IPortfolioViews>()?.Invalidate(workspaceId);
            return new DemoLoadResult(data.Transactions.Count, created, replaced);
        }
        finally
        {
            Gate.Release();
        }
    }
}
