using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portal.Workspaces;

public sealed record WorkspaceSettings(string Name, string? Description, string BaseCurrency, CostBasisMethod CostBasisMethod, bool MembersMayConnectApps);

/// <summary>
/// A workspace's settings and its deletion. Pages validate the form, this class validates the change
/// and writes its audit event in the same <c>SaveChanges</c>. Members and invitations are
/// <see cref="Members.MemberService"/> and <see cref="Members.InvitationService"/>.
/// </summary>
public sealed class WorkspaceService(KryptosDbContext db, AuditLog audit, DomainEvents events, WorkspaceLifecycle lifecycle, TimeProvider time)
{
    public async Task<WorkspaceResult> UpdateSettingsAsync(WorkspaceMembership membership, WorkspaceSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(settings);
        if (!membership.Can(WorkspaceOperation.EditSettings))
        {
            return WorkspaceResult.Denied("Only owners and admins can change workspace settings.");
        }

        var workspace = await db.Workspaces.SingleAsync(w => w.Id == membership.Workspace.Id, cancellationToken);
        var changes = new List<string>();
        var portfolioChanged = workspace.BaseCurrency != settings.BaseCurrency || workspace.CostBasisMethod != settings.CostBasisMethod;
        var name = settings.Name.Trim();
        var description = string.IsNullOrWhiteSpace(settings.Description) ? null : settings.Description.Trim();
        if (workspace.Name != name)
        {
            changes.Add($"name from \"{workspace.Name}\" to \"{name}\"");
            workspace.Name = name;
        }

        if (workspace.Description != description)
        {
            changes.Add("description");
            workspace.Description = description;
        }

        if (workspace.BaseCurrency != settings.BaseCurrency)
        {
            changes.Add($"base currency from {workspace.BaseCurrency} to {settings.BaseCurrency}");
            workspace.BaseCurrency = settings.BaseCurrency;
        }

        if (workspace.CostBasisMethod != settings.CostBasisMethod)
        {
            changes.Add($"cost-basis method from {workspace.CostBasisMethod.ToString().ToUpperInvariant()} to {settings.CostBasisMethod.ToString().ToUpperInvariant()}");
            workspace.CostBasisMethod = settings.CostBasisMethod;
        }

        var sharingNarrowed = workspace.MembersMayConnectApps && !settings.MembersMayConnectApps;
        if (workspace.MembersMayConnectApps != settings.MembersMayConnectApps)
        {
            changes.Add(settings.MembersMayConnectApps
                ? "every member may now connect apps"
                : "only owners and admins may now connect apps");
            workspace.MembersMayConnectApps = settings.MembersMayConnectApps;
        }

        if (changes.Count == 0)
        {
            return WorkspaceResult.Ok;
        }

        workspace.UpdatedAt = time.GetUtcNow();
        audit.Record(workspace.Id, AuditActions.WorkspaceSettingsChanged, "Changed " + string.Join(", ", changes));
        await db.SaveChangesAsync(cancellationToken);
        if (sharingNarrowed)
        {
            await events.RaiseAsync(new SharingRightsChanged(workspace.Id), cancellationToken);
        }

        if (portfolioChanged)
        {
            await events.RaiseAsync(new PortfolioSettingsChanged(workspace.Id), cancellationToken);
        }

        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> DeleteAsync(WorkspaceMembership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.Delete))
        {
            return WorkspaceResult.Denied("Only owners can delete a workspace.");
        }

        if (membership.Workspace.IsPersonal)
        {
            return WorkspaceResult.Fail("Your personal workspace holds your own portfolio and cannot be deleted.");
        }

        await lifecycle.DeleteAsync(membership.Workspace.Id, cancellationToken);
        return WorkspaceResult.Ok;
    }
}
