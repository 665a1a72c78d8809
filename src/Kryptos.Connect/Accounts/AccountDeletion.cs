using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Accounts;

/// <summary>What deleting an account does to each of its workspaces.</summary>
public sealed record DeletionPlan(
    IReadOnlyList<WorkspaceSummary> Deleted,
    IReadOnlyList<WorkspaceSummary> Left,
    IReadOnlyList<WorkspaceSummary> HandOverFirst)
{
    public bool CanDelete => HandOverFirst.Count == 0;
}

/// <summary>
/// Deleting an account. A team workspace that others use and that has no other owner must be handed
/// over first (make someone else owner, or delete it); every other workspace the account owns alone is
/// deleted with it, including the personal one; from the rest the account simply leaves. Everything
/// the account gave apps is revoked with their tokens, and every session ends.
/// </summary>
public sealed class AccountDeletion(
    KryptosDbContext db,
    UserManager<User> users,
    Memberships memberships,
    WorkspaceLifecycle workspaces,
    DomainEvents events,
    IEmailSender email)
{
    public async Task<DeletionPlan> PlanAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var mine = await memberships.ListForUserAsync(userId, cancellationToken);
        var ids = mine.Select(w => w.Id).ToList();
        var otherOwners = await db.WorkspaceMembers
            .Where(m => ids.Contains(m.WorkspaceId) && m.UserId != userId && m.Role == WorkspaceRole.Owner)
            .Select(m => m.WorkspaceId)
            .Distinct()
            .ToListAsync(cancellationToken);
        List<WorkspaceSummary> deleted = [], left = [], handOver = [];
        foreach (var workspace in mine)
        {
            if (workspace.IsPersonal && workspace.Role == WorkspaceRole.Owner && await IsPersonalWorkspaceOfAsync(workspace.Id, userId, cancellationToken))
            {
                // The account's own portfolio goes with the account, whoever it was shared with.
                deleted.Add(workspace);
            }
            else if (workspace.Role != WorkspaceRole.Owner || otherOwners.Contains(workspace.Id))
            {
                left.Add(workspace);
            }
            else if (workspace.MemberCount > 1)
            {
                handOver.Add(workspace);
            }
            else
            {
                deleted.Add(workspace);
            }
        }

        return new DeletionPlan(deleted, left, handOver);
    }

    /// <summary>Carries out <see cref="PlanAsync"/>; refuses (false) while a workspace must be handed over.</summary>
    public async Task<bool> DeleteAsync(User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var plan = await PlanAsync(user.Id, cancellationToken);
        if (!plan.CanDelete)
        {
            return false;
        }

        foreach (var workspace in plan.Left)
        {
            var member = await db.WorkspaceMembers.SingleAsync(m => m.WorkspaceId == workspace.Id && m.UserId == user.Id, cancellationToken);
            await workspaces.RemoveMemberAsync(member, AuditActions.AccountDeleted, $"{user.Email} deleted their account and left the workspace", cancellationToken);
        }

        foreach (var workspace in plan.Deleted)
        {
            await workspaces.DeleteAsync(workspace.Id, cancellationToken);
        }

        await events.RaiseAsync(new AccountDeleting(user.Id), cancellationToken);
        var farewell = EmailTemplates.AccountDeleted(user.Email!, user.DisplayName);
        // Sessions, memberships and Identity's rows go with the user (cascade).
        var result = await users.DeleteAsync(user);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Deleting the account failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        await email.SendAsync(farewell, cancellationToken);
        return true;
    }

    private Task<bool> IsPersonalWorkspaceOfAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) =>
        db.Workspaces.AnyAsync(w => w.Id == workspaceId && w.IsPersonal && w.CreatedByUserId == userId, cancellationToken);
}
