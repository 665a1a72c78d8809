using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portal.Members;

/// <summary>
/// Roles and membership: a workspace always keeps an owner, admins cannot touch owners, and the
/// personal workspace belongs to its account. Ending a membership raises <see cref="MembershipEnded"/>.
/// </summary>
public sealed class MemberService(KryptosDbContext db, AuditLog audit, DomainEvents events, WorkspaceLifecycle lifecycle)
{
    public async Task<WorkspaceResult> ChangeRoleAsync(WorkspaceMembership membership, Guid memberId, WorkspaceRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.ManageMembers))
        {
            return WorkspaceResult.Denied("Only owners and admins can change roles.");
        }

        if (!Enum.IsDefined(role))
        {
            return WorkspaceResult.Fail("Choose one of the listed roles.");
        }

        var member = await FindMemberAsync(membership.Workspace.Id, memberId, cancellationToken);
        if (member is null)
        {
            return WorkspaceResult.Fail("That person is not a member of this workspace.");
        }

        if (member.Role == role)
        {
            return WorkspaceResult.Ok;
        }

        if ((member.Role == WorkspaceRole.Owner || role == WorkspaceRole.Owner) && !membership.Can(WorkspaceOperation.ManageOwners))
        {
            return WorkspaceResult.Fail("Only owners can grant or take away the owner role.");
        }

        if (member.Role == WorkspaceRole.Owner && await IsLastOwnerAsync(member, cancellationToken))
        {
            return WorkspaceResult.Fail("A workspace needs at least one owner. Make someone else owner first.");
        }

        var previous = member.Role;
        member.Role = role;
        audit.Record(membership.Workspace.Id, AuditActions.MemberRoleChanged,
            $"Changed the role of {member.User.Email} from {WorkspaceRoles.Describe(previous)} to {WorkspaceRoles.Describe(role)}");
        await db.SaveChangesAsync(cancellationToken);
        await events.RaiseAsync(new SharingRightsChanged(membership.Workspace.Id), cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> RemoveMemberAsync(WorkspaceMembership membership, Guid memberId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (memberId == membership.UserId)
        {
            return await LeaveAsync(membership, cancellationToken);
        }

        if (!membership.Can(WorkspaceOperation.ManageMembers))
        {
            return WorkspaceResult.Denied("Only owners and admins can remove members.");
        }

        var member = await FindMemberAsync(membership.Workspace.Id, memberId, cancellationToken);
        if (member is null)
        {
            return WorkspaceResult.Fail("That person is not a member of this workspace.");
        }

        if (member.Role == WorkspaceRole.Owner && !membership.Can(WorkspaceOperation.ManageOwners))
        {
            return WorkspaceResult.Fail("Only owners can remove an owner.");
        }

        await lifecycle.RemoveMemberAsync(member, AuditActions.MemberRemoved, $"Removed {member.User.Email} ({WorkspaceRoles.Describe(member.Role)})", cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> LeaveAsync(WorkspaceMembership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        var member = await FindMemberAsync(membership.Workspace.Id, membership.UserId, cancellationToken);
        if (member is null)
        {
            return WorkspaceResult.Fail("You are not a member of this workspace.");
        }

        // A personal workspace belongs to its account; people it was shared with may leave it.
        if (membership.Workspace.IsPersonal && membership.Workspace.CreatedByUserId == member.UserId)
        {
            return WorkspaceResult.Fail("You cannot leave your personal workspace.");
        }

        if (member.Role == WorkspaceRole.Owner && await IsLastOwnerAsync(member, cancellationToken))
        {
            return WorkspaceResult.Fail("You are the last owner. Make someone else owner, or delete the workspace.");
        }

        await lifecycle.RemoveMemberAsync(member, AuditActions.MemberLeft, $"{member.User.Email} left the workspace", cancellationToken);
        return WorkspaceResult.Ok;
    }

    private Task<WorkspaceMember?> FindMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) =>
        db.WorkspaceMembers.Include(m => m.User).SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);

    private async Task<bool> IsLastOwnerAsync(WorkspaceMember member, CancellationToken cancellationToken) =>
        !await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == member.WorkspaceId && m.Role == WorkspaceRole.Owner && m.UserId != member.UserId, cancellationToken);
}
