using Kryptos.Connect.ConnectApi.OpenApi;
using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.ConnectApi.Integrations;

/// <param name="Id">The integration's id; transactions name it as <c>integrationId</c>.</param>
/// <param name="Name">The name the user gave it.</param>
/// <param name="Kind"><c>wallet</c>, <c>exchange</c> or <c>csv</c>.</param>
/// <param name="ProviderId">Its provider in <c>GET /v1/providers</c>, e.g. <c>kraken</c>.</param>
/// <param name="Chain">For wallets: the chain, e.g. <c>ethereum</c>; otherwise null.</param>
/// <param name="Address">For wallets: the public address; otherwise null.</param>
/// <param name="SyncStatus"><c>pending</c>, <c>syncing</c>, <c>synced</c> or <c>failed</c>.</param>
/// <param name="LastSyncedAt">When data last arrived (UTC), or null.</param>
/// <param name="TransactionCount">How many transactions it has (transfers count in both accounts).</param>
/// <param name="CreatedAt">When it was added (UTC).</param>
public sealed record IntegrationDto(
    Guid Id,
    string Name,
    string Kind,
    string ProviderId,
    string? Chain,
    string? Address,
    string SyncStatus,
    DateTimeOffset? LastSyncedAt,
    int TransactionCount,
    DateTimeOffset CreatedAt);

/// <summary><c>GET /v1/integrations</c>: the workspace's wallets, exchange accounts and CSV sources (<c>integrations:read</c>).</summary>
public static class IntegrationEndpoints
{
    public static RouteGroupBuilder MapIntegrations(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var group = v1.MapGroup("/integrations").WithTags("Integrations").RequireScope(KryptosScopes.IntegrationsRead);
        group.MapGet("", ListIntegrationsAsync)
            .WithPaging()
            .WithName("ListIntegrations")
            .WithExample(PortfolioExamples.Integrations)
            .WithSummary("Wallets, exchange accounts and CSV sources")
            .WithDescription("Every integration of the workspace with its provider, sync status and transaction count, by name.");
        return v1;
    }

    public static async Task<Ok<ListEnvelope<IntegrationDto>>> ListIntegrationsAsync(
        CurrentWorkspace current, PageRequest page, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Integrations.AsNoTracking().Where(i => i.WorkspaceId == current.WorkspaceId);
        var total = await query.CountAsync(cancellationToken);
        var rows = await page.Apply(query.OrderBy(i => i.Name).ThenBy(i => i.Id))
            .Select(i => new
            {
                Integration = i,
                Count = db.Transactions.Count(t => t.IntegrationId == i.Id || t.CounterpartIntegrationId == i.Id),
            })
            .ToListAsync(cancellationToken);
        var items = rows.Select(r => new IntegrationDto(
            r.Integration.Id,
            r.Integration.Name,
            ApiValues.Name(r.Integration.Kind),
            r.Integration.ProviderId,
            r.Integration.Chain,
            r.Integration.Address,
            ApiValues.Name(r.Integration.SyncStatus),
            r.Integration.LastSyncedAt,
            r.Count,
            r.Integration.CreatedAt)).ToList();
        return TypedResults.Ok(ListEnvelope.Create(items, page, total));
    }
}
