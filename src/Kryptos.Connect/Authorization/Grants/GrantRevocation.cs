using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization.Grants;

/// <summary>
/// Ending what users granted to apps. Revoking a grant revokes every token issued under it at once,
/// so refresh tokens stop at the token endpoint and access tokens at introspection (and, with the
/// Connect API, at its revocation view).
/// </summary>
public interface IGrantRevocation
{
    /// <summary>Revokes one valid grant of <paramref name="userId"/>; false when there is none with that id.</summary>
    Task<bool> RevokeAsync(Guid userId, string grantId, CancellationToken cancellationToken = default);

    /// <summary>Revokes every grant the account gave, on every workspace.</summary>
    Task<int> RevokeAllOfUserAsync(Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes the grants <paramref name="userId"/> gave on one workspace.</summary>
    Task<int> RevokeGivenOnWorkspaceAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken = default);

    /// <summary>Revokes one grant on a workspace, whoever gave it (a workspace admin's decision).</summary>
    Task<bool> RevokeOnWorkspaceAsync(Guid workspaceId, string grantId, CancellationToken cancellationToken = default);
}

internal sealed class GrantRevocation(
    KryptosDbContext db,
    OpenIddictAuthorizationManager<OAuthGrant> authorizations,
    IOpenIddictTokenManager tokens,
    AuditLog audit) : IGrantRevocation
{
    public async Task<bool> RevokeAsync(Guid userId, string grantId, CancellationToken cancellationToken = default)
    {
        var subject = userId.ToString();
        var grant = await db.OAuthGrants.Include(g => g.Application)
            .SingleOrDefaultAsync(g => g.Id == grantId && g.Subject == subject && g.Status == Statuses.Valid, cancellationToken);
        if (grant is null)
        {
            return false;
        }

        await RevokeAsync(grant, cancellationToken);
        await RecordAsync(grant, cancellationToken);
        return true;
    }

    public async Task<int> RevokeAllOfUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var subject = userId.ToString();
        return await RevokeAllAsync(db.OAuthGrants.Where(g => g.Subject == subject && g.Status == Statuses.Valid), cancellationToken);
    }

    public async Task<int> RevokeGivenOnWorkspaceAsync(Guid workspaceId, Guid userId, CancellationToken cancellationToken = default)
    {
        var subject = userId.ToString();
        return await RevokeAllAsync(db.OAuthGrants.Where(g => g.WorkspaceId == workspaceId && g.Subject == subject && g.Status == Statuses.Valid), cancellationToken);
    }

    public async Task<bool> RevokeOnWorkspaceAsync(Guid workspaceId, string grantId, CancellationToken cancellationToken = default)
    {
        var grant = await db.OAuthGrants.Include(g => g.Application)
            .SingleOrDefaultAsync(g => g.Id == grantId && g.WorkspaceId == workspaceId && g.Status == Statuses.Valid, cancellationToken);
        if (grant is null)
        {
            return false;
        }

        await RevokeAsync(grant, cancellationToken);
        await RecordAsync(grant, cancellationToken);
        return true;
    }

    /// <summary>An explicit revocation goes into the workspace's audit log, like the grant did.</summary>
    private async Task RecordAsync(OAuthGrant grant, CancellationToken cancellationToken)
    {
        var grantedBy = Guid.TryParse(grant.Subject, out var id)
            ? await db.Users.Where(u => u.Id == id).Select(u => u.Email).SingleOrDefaultAsync(cancellationToken)
            : null;
        audit.Record(grant.WorkspaceId!.Value, AuditActions.AppDisconnected,
            $"Revoked the access of \"{grant.Application?.DisplayName}\" ({grant.Application?.ClientId}) given by {grantedBy ?? "a deleted account"}");
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<int> RevokeAllAsync(IQueryable<OAuthGrant> query, CancellationToken cancellationToken)
    {
        var grants = await query.ToListAsync(cancellationToken);
        foreach (var grant in grants)
        {
            await RevokeAsync(grant, cancellationToken);
        }

        return grants.Count;
    }

    private async Task RevokeAsync(OAuthGrant grant, CancellationToken cancellationToken)
    {
        // Tokens first: a grant marked revoked with live tokens would be a window, the other way round is not.
        await tokens.RevokeByAuthorizationIdAsync(grant.Id!, cancellationToken);
        await authorizations.TryRevokeAsync(grant, cancellationToken);
    }
}
