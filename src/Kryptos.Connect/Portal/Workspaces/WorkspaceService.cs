using System.Security.Claims;
using Kryptos.Connect.Accounts;
using Kryptos.Connect.Accounts.Email;
using Kryptos.Connect.Authorization;
using OpenIddict.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Audit;
using Kryptos.Connect.Portal.Members;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portal.Workspaces;

/// <summary>The outcome of a workspace change: success, or a message to show next to the form.</summary>
public readonly record struct WorkspaceResult(bool Succeeded, string? Error)
{
    public static WorkspaceResult Ok => new(true, null);
    public static WorkspaceResult Fail(string error) => new(false, error);
}

/// <summary>
/// The workspace rules (roles, last owner, invitations) and their audit trail. Pages validate the
/// form, this class validates the change. Every query here is scoped to one workspace.
/// </summary>
public sealed class WorkspaceService(
    KryptosDbContext db,
    AuditLog audit,
    IEmailSender email,
    ILookupNormalizer normalizer,
    OpenIddictApplicationManager<OAuthClient> applications,
    OpenIddictAuthorizationManager<OAuthGrant> grants,
    ConsentService consent,
    TimeProvider time)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    /// <summary>The workspace <paramref name="workspaceId"/> as seen by <paramref name="userId"/>, or null when not a member.</summary>
    public async Task<WorkspaceMembership?> FindMembershipAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken = default)
    {
        var member = await db.WorkspaceMembers
            .Include(m => m.Workspace)
            .SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);
        return member is null ? null : new WorkspaceMembership(member.Workspace, userId, member.Role);
    }

    public Task<List<WorkspaceSummary>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default) =>
        db.WorkspaceMembers
            .Where(m => m.UserId == userId)
            .OrderByDescending(m => m.Workspace.IsPersonal).ThenBy(m => m.Workspace.Name)
            .Select(m => new WorkspaceSummary(m.WorkspaceId, m.Workspace.Name, m.Workspace.IsPersonal, m.Role, m.Workspace.Members.Count))
            .ToListAsync(cancellationToken);

    public async Task<Workspace> CreatePersonalAsync(User owner, CancellationToken cancellationToken = default)
    {
        var name = string.IsNullOrWhiteSpace(owner.DisplayName) ? "Personal" : $"{owner.DisplayName}'s workspace";
        if (name.Length > Workspace.NameMaxLength)
        {
            name = "Personal workspace";
        }

        return await CreateCoreAsync(owner, name, "Your own portfolio.", isPersonal: true, cancellationToken);
    }

    public Task<Workspace> CreateAsync(User owner, string name, string? description, CancellationToken cancellationToken = default) =>
        CreateCoreAsync(owner, name.Trim(), Normalize(description), isPersonal: false, cancellationToken);

    private async Task<Workspace> CreateCoreAsync(User owner, string name, string? description, bool isPersonal, CancellationToken cancellationToken)
    {
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

    public async Task<WorkspaceResult> UpdateSettingsAsync(WorkspaceMembership membership, WorkspaceSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(settings);
        if (!membership.Can(WorkspaceOperations.EditSettings))
        {
            return WorkspaceResult.Fail("Only owners and admins can change workspace settings.");
        }

        var workspace = await db.Workspaces.SingleAsync(w => w.Id == membership.Workspace.Id, cancellationToken);
        var changes = new List<string>();
        var name = settings.Name.Trim();
        var description = Normalize(settings.Description);
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

        if (changes.Count == 0)
        {
            return WorkspaceResult.Ok;
        }

        workspace.UpdatedAt = time.GetUtcNow();
        audit.Record(workspace.Id, AuditActions.WorkspaceSettingsChanged, "Changed " + string.Join(", ", changes));
        await db.SaveChangesAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> DeleteAsync(WorkspaceMembership membership, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperations.Delete))
        {
            return WorkspaceResult.Fail("Only owners can delete a workspace.");
        }

        if (membership.Workspace.IsPersonal)
        {
            return WorkspaceResult.Fail("Your personal workspace holds your own portfolio and cannot be deleted.");
        }

        // OAuth clients, and grants that apps hold on this workspace, go through OpenIddict so that
        // their tokens die with them; members, invitations and the audit log follow the workspace
        // (cascade).
        var clients = await db.OAuthClients.Where(c => c.WorkspaceId == membership.Workspace.Id).ToListAsync(cancellationToken);
        foreach (var client in clients)
        {
            await applications.DeleteAsync(client, cancellationToken);
        }

        var onThisWorkspace = await db.OAuthGrants.Where(g => g.WorkspaceId == membership.Workspace.Id).ToListAsync(cancellationToken);
        foreach (var grant in onThisWorkspace)
        {
            await grants.DeleteAsync(grant, cancellationToken);
        }

        await db.Workspaces.Where(w => w.Id == membership.Workspace.Id).ExecuteDeleteAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<List<MemberSummary>> ListMembersAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var members = await db.WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId)
            .Select(m => new MemberSummary(m.UserId, m.User.DisplayName, m.User.Email!, m.Role, m.JoinedAt))
            .ToListAsync(cancellationToken);
        // Roles are stored as text; order by rank (owner first) in memory.
        return [.. members.OrderBy(m => m.Role).ThenBy(m => m.Email, StringComparer.OrdinalIgnoreCase)];
    }

    public async Task<List<WorkspaceInvitation>> ListPendingInvitationsAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var open = await db.WorkspaceInvitations
            .Where(i => i.WorkspaceId == workspaceId && i.AcceptedAt == null && i.RevokedAt == null)
            .ToListAsync(cancellationToken);
        return [.. open.Where(i => i.IsPending(now)).OrderByDescending(i => i.CreatedAt)];
    }

    /// <summary>
    /// Invites <paramref name="emailAddress"/> and mails a single-use link. A new invitation for the
    /// same address replaces the pending one, so only the newest link works.
    /// </summary>
    public async Task<WorkspaceResult> InviteAsync(
        WorkspaceMembership membership, string emailAddress, WorkspaceRole role, string inviterName,
        Func<string, string> acceptLink, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(acceptLink);
        if (!membership.Can(WorkspaceOperations.ManageMembers))
        {
            return WorkspaceResult.Fail("Only owners and admins can invite members.");
        }

        if (role == WorkspaceRole.Owner && !membership.Can(WorkspaceOperations.ManageOwners))
        {
            return WorkspaceResult.Fail("Only owners can invite another owner.");
        }

        var address = emailAddress.Trim();
        var normalized = normalizer.NormalizeEmail(address);
        var workspaceId = membership.Workspace.Id;
        if (await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == workspaceId && m.User.NormalizedEmail == normalized, cancellationToken))
        {
            return WorkspaceResult.Fail($"{address} is already a member of this workspace.");
        }

        var now = time.GetUtcNow();
        var previous = await db.WorkspaceInvitations
            .Where(i => i.WorkspaceId == workspaceId && i.NormalizedEmail == normalized && i.AcceptedAt == null && i.RevokedAt == null)
            .ToListAsync(cancellationToken);
        foreach (var invitation in previous)
        {
            invitation.RevokedAt = now;
        }

        var token = SecureTokens.Create();
        var created = new WorkspaceInvitation
        {
            WorkspaceId = workspaceId,
            Email = address,
            NormalizedEmail = normalized,
            Role = role,
            TokenHash = SecureTokens.Hash(token),
            InvitedByUserId = membership.UserId,
            CreatedAt = now,
            ExpiresAt = now + InvitationLifetime,
        };
        db.WorkspaceInvitations.Add(created);
        audit.Record(workspaceId, AuditActions.MemberInvited, $"Invited {address} as {Describe(role)}");
        await db.SaveChangesAsync(cancellationToken);

        await email.SendAsync(
            EmailTemplates.Invitation(address, inviterName, membership.Workspace.Name, Describe(role), acceptLink(token), created.ExpiresAt),
            cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> RevokeInvitationAsync(WorkspaceMembership membership, Guid invitationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperations.ManageMembers))
        {
            return WorkspaceResult.Fail("Only owners and admins can revoke invitations.");
        }

        var invitation = await db.WorkspaceInvitations
            .SingleOrDefaultAsync(i => i.Id == invitationId && i.WorkspaceId == membership.Workspace.Id, cancellationToken);
        if (invitation is null || !invitation.IsPending(time.GetUtcNow()))
        {
            return WorkspaceResult.Fail("That invitation is no longer pending.");
        }

        invitation.RevokedAt = time.GetUtcNow();
        audit.Record(membership.Workspace.Id, AuditActions.InvitationRevoked, $"Revoked the invitation of {invitation.Email}");
        await db.SaveChangesAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    /// <summary>Looks up an invitation by the token of its link; null when unknown.</summary>
    public Task<WorkspaceInvitation?> FindInvitationAsync(string token, CancellationToken cancellationToken = default)
    {
        var hash = SecureTokens.Hash(token);
        return db.WorkspaceInvitations.Include(i => i.Workspace).SingleOrDefaultAsync(i => i.TokenHash == hash, cancellationToken);
    }

    public async Task<WorkspaceResult> AcceptInvitationAsync(string token, User user, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var invitation = await FindInvitationAsync(token, cancellationToken);
        var now = time.GetUtcNow();
        if (invitation is null || !invitation.IsPending(now))
        {
            return WorkspaceResult.Fail("This invitation link is invalid, expired, revoked or already used. Ask for a new invitation.");
        }

        if (invitation.NormalizedEmail != user.NormalizedEmail)
        {
            return WorkspaceResult.Fail($"This invitation was sent to another email address. Log in with the account of {Mask(invitation.Email)} to accept it.");
        }

        invitation.AcceptedAt = now;
        invitation.AcceptedByUserId = user.Id;
        if (!await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == invitation.WorkspaceId && m.UserId == user.Id, cancellationToken))
        {
            db.WorkspaceMembers.Add(new WorkspaceMember { WorkspaceId = invitation.WorkspaceId, UserId = user.Id, Role = invitation.Role, JoinedAt = now });
        }

        // The link reached this mailbox, which proves the address as well as the verification mail would.
        if (!user.EmailConfirmed)
        {
            user.EmailConfirmed = true;
        }

        audit.Record(invitation.WorkspaceId, AuditActions.InvitationAccepted, $"{user.Email} joined as {Describe(invitation.Role)}", user);
        await db.SaveChangesAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> ChangeRoleAsync(WorkspaceMembership membership, Guid memberId, WorkspaceRole role, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperations.ManageMembers))
        {
            return WorkspaceResult.Fail("Only owners and admins can change roles.");
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

        if ((member.Role == WorkspaceRole.Owner || role == WorkspaceRole.Owner) && !membership.Can(WorkspaceOperations.ManageOwners))
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
            $"Changed the role of {member.User.Email} from {Describe(previous)} to {Describe(role)}");
        await db.SaveChangesAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> RemoveMemberAsync(WorkspaceMembership membership, Guid memberId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (memberId == membership.UserId)
        {
            return await LeaveAsync(membership, cancellationToken);
        }

        if (!membership.Can(WorkspaceOperations.ManageMembers))
        {
            return WorkspaceResult.Fail("Only owners and admins can remove members.");
        }

        var member = await FindMemberAsync(membership.Workspace.Id, memberId, cancellationToken);
        if (member is null)
        {
            return WorkspaceResult.Fail("That person is not a member of this workspace.");
        }

        if (member.Role == WorkspaceRole.Owner && !membership.Can(WorkspaceOperations.ManageOwners))
        {
            return WorkspaceResult.Fail("Only owners can remove an owner.");
        }

        db.WorkspaceMembers.Remove(member);
        audit.Record(membership.Workspace.Id, AuditActions.MemberRemoved, $"Removed {member.User.Email} ({Describe(member.Role)})");
        await db.SaveChangesAsync(cancellationToken);
        await RevokeGrantsAsync(membership.Workspace.Id, member.UserId, cancellationToken);
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

        db.WorkspaceMembers.Remove(member);
        audit.Record(membership.Workspace.Id, AuditActions.MemberLeft, $"{member.User.Email} left the workspace");
        await db.SaveChangesAsync(cancellationToken);
        await RevokeGrantsAsync(membership.Workspace.Id, member.UserId, cancellationToken);
        return WorkspaceResult.Ok;
    }

    /// <summary>
    /// Someone who is no longer a member cannot share the workspace: the grants they gave apps on it
    /// are revoked with their tokens, so access tokens stop working too, not only refreshes.
    /// </summary>
    private async Task RevokeGrantsAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken)
    {
        var subject = userId.ToString();
        var given = await db.OAuthGrants
            .Where(g => g.WorkspaceId == workspaceId && g.Subject == subject && g.Status == OpenIddict.Abstractions.OpenIddictConstants.Statuses.Valid)
            .ToListAsync(cancellationToken);
        foreach (var grant in given)
        {
            await consent.RevokeAsync(grant, cancellationToken);
        }
    }

    public static string Describe(WorkspaceRole role) => role.ToString().ToLowerInvariant();

    public static Guid? UserIdOf(ClaimsPrincipal principal) =>
        Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;

    private Task<WorkspaceMember?> FindMemberAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken) =>
        db.WorkspaceMembers.Include(m => m.User).SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId && m.UserId == userId, cancellationToken);

    private async Task<bool> IsLastOwnerAsync(WorkspaceMember member, CancellationToken cancellationToken) =>
        !await db.WorkspaceMembers.AnyAsync(m => m.WorkspaceId == member.WorkspaceId && m.Role == WorkspaceRole.Owner && m.UserId != member.UserId, cancellationToken);

    private static string? Normalize(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static string Mask(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "***" + address[Math.Max(at, 0)..] : address[0] + "***" + address[at..];
    }
}

public sealed record WorkspaceSummary(Guid Id, string Name, bool IsPersonal, WorkspaceRole Role, int MemberCount);

public sealed record MemberSummary(Guid UserId, string DisplayName, string Email, WorkspaceRole Role, DateTimeOffset JoinedAt);

public sealed record WorkspaceSettings(string Name, string? Description, string BaseCurrency, CostBasisMethod CostBasisMethod);
