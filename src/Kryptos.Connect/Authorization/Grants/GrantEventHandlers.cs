using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Kryptos.Connect.Authorization.Grants;

/// <summary>What account and workspace events mean for the apps users connected.</summary>
internal sealed class GrantEventHandlers(
    KryptosDbContext db,
    Memberships memberships,
    IGrantRevocation revocation,
    OpenIddictApplicationManager<OAuthClient> applications,
    OpenIddictAuthorizationManager<OAuthGrant> authorizations,
    ClientOrigins origins) :
    IHandles<AccountSignedOutEverywhere>,
    IHandles<AccountDeleting>,
    IHandles<MembershipEnded>,
    IHandles<WorkspaceDeleting>,
    IHandles<SharingRightsChanged>
{
    /// <summary>A reset password, a new address or "sign out everywhere": no app keeps what it was given before.</summary>
    public Task HandleAsync(AccountSignedOutEverywhere domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return revocation.RevokeAllOfUserAsync(domainEvent.UserId, cancellationToken);
    }

    /// <summary>The account goes: its grants and their tokens go with it (nothing references a deleted subject).</summary>
    public async Task HandleAsync(AccountDeleting domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var subject = domainEvent.UserId.ToString();
        foreach (var grant in await db.OAuthGrants.Where(g => g.Subject == subject).ToListAsync(cancellationToken))
        {
            await authorizations.DeleteAsync(grant, cancellationToken);
        }
    }

    /// <summary>
    /// Someone who is no longer a member cannot share the workspace: the grants they gave apps on it
    /// are revoked with their tokens, so access tokens stop working too, not only refreshes.
    /// </summary>
    public Task HandleAsync(MembershipEnded domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return revocation.RevokeGivenOnWorkspaceAsync(domainEvent.WorkspaceId, domainEvent.UserId, cancellationToken);
    }

    /// <summary>
    /// A role or the workspace's sharing setting changed: the grants of people who may no longer share
    /// the workspace end now, not at their next refresh.
    /// </summary>
    public async Task HandleAsync(SharingRightsChanged domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var subjects = await db.OAuthGrants
            .Where(g => g.WorkspaceId == domainEvent.WorkspaceId && g.Status == OpenIddictConstants.Statuses.Valid)
            .Select(g => g.Subject!)
            .Distinct()
            .ToListAsync(cancellationToken);
        foreach (var subject in subjects)
        {
            var userId = Guid.Parse(subject);
            if (await memberships.FindAsync(domainEvent.WorkspaceId, userId, cancellationToken) is not { } membership
                || !membership.Can(WorkspaceOperation.ShareWithApps))
            {
                await revocation.RevokeGivenOnWorkspaceAsync(domainEvent.WorkspaceId, userId, cancellationToken);
            }
        }
    }

    /// <summary>
    /// The workspace's OAuth clients, and the grants apps hold on it, go through OpenIddict so that their
    /// tokens die with them; members, invitations and the audit log follow the workspace (cascade).
    /// </summary>
    public async Task HandleAsync(WorkspaceDeleting domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        var clients = await db.OAuthClients.Where(c => c.WorkspaceId == domainEvent.WorkspaceId).ToListAsync(cancellationToken);
        foreach (var client in clients)
        {
            await applications.DeleteAsync(client, cancellationToken);
        }

        foreach (var grant in await db.OAuthGrants.Where(g => g.WorkspaceId == domainEvent.WorkspaceId).ToListAsync(cancellationToken))
        {
            await authorizations.DeleteAsync(grant, cancellationToken);
        }

        if (clients.Count > 0)
        {
            await origins.RefreshAsync(cancellationToken);
        }
    }
}
