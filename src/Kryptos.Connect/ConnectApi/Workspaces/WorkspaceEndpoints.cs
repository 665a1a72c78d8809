using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.ConnectApi.Workspaces;

/// <param name="Id">The workspace's id.</param>
/// <param name="Name">Its name.</param>
/// <param name="BaseCurrency">ISO 4217 code of the currency valuations and tax are computed in.</param>
/// <param name="CostBasisMethod">How disposals are matched to acquisitions for cost basis: <c>FIFO</c>, <c>LIFO</c> or <c>HIFO</c>.</param>
/// <param name="CreatedAt">When the workspace was created (UTC).</param>
public sealed record WorkspaceSettings(Guid Id, string Name, string BaseCurrency, string CostBasisMethod, DateTimeOffset CreatedAt);

/// <summary><c>GET /v1/workspace</c>: the workspace the token is bound to (<c>workspace:read</c>).</summary>
public static class WorkspaceEndpoints
{
    public static RouteGroupBuilder MapWorkspace(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var workspace = v1.MapGroup("/workspace").WithTags("Workspace").RequireScope(KryptosScopes.WorkspaceRead);
        workspace.MapGet("", GetWorkspaceAsync)
            .WithName("GetWorkspace")
            .WithSummary("The workspace the token is bound to")
            .WithDescription("Name, base currency and cost-basis method of the one workspace the user shared with the app.")
            .WithExample(new DataEnvelope<WorkspaceSettings>(new WorkspaceSettings(Guid.Parse("0197f2a4-6c1e-7d3a-9b52-3f1c2e8d4a11"), "Ada's workspace",
                "USD", "FIFO", new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero))));
        return v1;
    }

    public static async Task<Results<Ok<DataEnvelope<WorkspaceSettings>>, ProblemHttpResult>> GetWorkspaceAsync(
        CurrentWorkspace current, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(db);
        var workspace = await db.Workspaces.AsNoTracking()
            .Where(w => w.Id == current.WorkspaceId)
            .Select(w => new { w.Id, w.Name, w.BaseCurrency, w.CostBasisMethod, w.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (workspace is null)
        {
            return ApiProblems.NotFound("The workspace no longer exists.");
        }

        return TypedResults.Ok(new DataEnvelope<WorkspaceSettings>(new WorkspaceSettings(
            workspace.Id, workspace.Name, workspace.BaseCurrency, workspace.CostBasisMethod.ToString().ToUpperInvariant(), workspace.CreatedAt)));
    }
}
