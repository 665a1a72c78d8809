using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Core.Workspaces;

public sealed record WorkspaceSummary(Guid Id, string Name, bool IsPersonal, WorkspaceRole Role, int MemberCount);

public sealed record MemberSummary(Guid UserId, string DisplayName, string Email, WorkspaceRole Role, DateTimeOffset JoinedAt);

/// <summary>Who belongs to which workspace, and with which role. Every query is scoped to one user or one workspace.</summary>
public sealed class Memberships(KryptosDbContext db)
{
    /// <summary>The workspace <paramref name="workspaceId"/> as seen by <paramref name="userId"/>, or null when not a member.</summary>
    public async Task<WorkspaceMembership?> FindAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken = default)
    {
        var member = await db.WorkspaceMembers
            .Include(m => m.Workspace)
            .SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        return member is null ? null : new WorkspaceMembership(member.Workspace, userId, member.Role);
    }

    public Task<bool> IsMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken = default) =>
        db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);

    /// <summary>Every workspace of <paramref name="userId"/>, the personal one first.</summary>
    public Task<List<WorkspaceSummary>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        db.WorkspaceMembers
            .Where(m => m.UserId == userId)
            .OrderByDescending(m => m.Workspace.IsPersonal).ThenBy(m => m.Workspace.Name)
            .Select(m => new WorkspaceSummary(m.WorkspaceId, m.Workspace.Name, m.Workspace.IsPersonal, m.Role, m.Workspace.Members.Count))
            .ToListAsync(cancellationToken);

    /// <summary>The members of <paramref name="workspaceId"/>, owners first.</summary>
    public async Task<List<MemberSummary>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var members = await db.WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId)
            .Select(m => new MemberSummary(m.UserId, m.User.DisplayName, m.User.Email!, m.Role, m.JoinedAt))
            .ToListAsync(cancellationToken);
        // Roles are stored as text; order by rank (owner first) in memory.
        return [.. members.OrderBy(m => m.Role).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)];
    }
}
