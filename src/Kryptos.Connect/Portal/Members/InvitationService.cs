using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portal.Members;

/// <summary>
/// Invitations by email link: single use, 7 days, stored as a hash; a new invitation to the same
/// address voids the older one, and only the invited account can accept.
/// </summary>
public sealed class InvitationService(
    KryptosDbContext db,
    AuditLog audit,
    IEmailSender email,
    ILookupNormalizer normalizer,
    TimeProvider time)
{
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

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
        if (!membership.Can(WorkspaceOperation.ManageMembers))
        {
            return WorkspaceResult.Denied("Only owners and admins can invite members.");
        }

        if (role == WorkspaceRole.Owner && !membership.Can(WorkspaceOperation.ManageOwners))
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
        audit.Record(workspaceId, AuditActions.MemberInvited, $"Invited {address} as {WorkspaceRoles.Describe(role)}");
        await db.SaveChangesAsync(cancellationToken);

        await email.SendAsync(
            EmailTemplates.Invitation(address, inviterName, membership.Workspace.Name, WorkspaceRoles.Describe(role), acceptLink(token), created.ExpiresAt),
            cancellationToken);
        return WorkspaceResult.Ok;
    }

    public async Task<WorkspaceResult> RevokeInvitationAsync(WorkspaceMembership membership, Guid invitationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.ManageMembers))
        {
            return WorkspaceResult.Denied("Only owners and admins can revoke invitations.");
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
        // An account nobody verified may have been registered with someone else's address; the
        // invitation mail reached the mailbox, not necessarily the person holding this account.
        if (!user.EmailConfirmed)
        {
            return WorkspaceResult.Denied("Verify your email address before you join a workspace.");
        }

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

        audit.Record(invitation.WorkspaceId, AuditActions.InvitationAccepted, $"{user.Email} joined as {WorkspaceRoles.Describe(invitation.Role)}", user);
        await db.SaveChangesAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    private static string Mask(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at <= 1 ? "***" + address[Math.Max(at, 0)..] : address[0] + "***" + address[at..];
    }
}
