using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Core.Workspaces;

/// <summary>
/// Workspaces come and go, and people join and leave them, from more than one feature: sign-up
/// creates the personal workspace and account deletion removes it (Accounts), developers create,
/// delete and leave team workspaces (Portal). The rules of who may do so stay with the callers; this
/// class does it the one right way, with its audit event and domain event.
/// </summary>
public sealed class WorkspaceLifecycle(KryptosDbContext db, AuditLog audit, DomainEvents events, TimeProvider time)
{
    public async Task<Workspace> CreatePersonalAsync(User owner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var name = string.IsNullOrWhiteSpace(owner.DisplayName) ? "Personal" : $"{owner.DisplayName}'s workspace";
        if (name.Length > Workspace.NameMaxLength)
        {
            name = "Personal workspace";
        }

        return await CreateCoreAsync(owner, name, "Your own portfolio.", isPersonal: true, cancellationToken);
    }

    public Task<Workspace> CreateAsync(User owner, string name, string? description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return CreateCoreAsync(owner, name.Trim(), string.IsNullOrWhiteSpace(description) ? null : description.Trim(), isPersonal: false, cancellationToken);
    }

    private async Task<Workspace> CreateCoreAsync(User owner, string name, string? description, bool isPersonal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var now = time.GetUtcNow();
        var workspace = new Workspace
        {
            Name = name,
            Description = description,
            IsPersonal = isPersonal,
            CreatedByUserId = owner.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        workspace.Members.Add(new WorkspaceMember { UserId = owner.Id, Role = WorkspaceRole.Owner, JoinedAt = now });
        db.Workspaces.Add(workspace);
        audit.Record(workspace.Id, AuditActions.WorkspaceCreated, $"Created workspace \"{name}\"", owner);
        await db.SaveChangesAsync(cancellationToken);
        return workspace;
    }

    /// <summary>
    /// Deletes a workspace and everything in it: other features first drop what they keep on it
    /// (<see cref="WorkspaceDeleting"/>: OAuth clients, grants and their tokens), then the row goes with
    /// its members, invitations and audit log (cascade).
    /// </summary>
    public async Task DeleteAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await events.RaiseAsync(new WorkspaceDeleting(workspaceId), cancellationToken);
        await db.Workspaces.Where(w => w.Id == workspaceId).ExecuteDeleteAsync(cancellationToken);
    }

    /// <summary>
    /// Ends a membership, with its audit event, and raises <see cref="MembershipEnded"/> so that what
    /// the person shared from the workspace (grants to apps) ends with it.
    /// </summary>
    public async Task RemoveMemberAsync(WorkspaceMember member, string auditAction, string auditSummary, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(member);
        db.WorkspaceMembers.Remove(member);
        audit.Record(member.WorkspaceId, auditAction, auditSummary);
        await db.SaveChangesAsync(cancellationToken);
        await events.RaiseAsync(new MembershipEnded(member.WorkspaceId, member.UserId), cancellationToken);
    }
}
