using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Email;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Authorization.ApiKeys;

/// <summary>What a new key may do, already validated (see the portal's form).</summary>
/// <param name="Name">Its name in the list.</param>
/// <param name="Scopes">Data scopes only (<see cref="ApiKeyScopes"/>), at least one.</param>
/// <param name="Lifetime">Null: never expires.</param>
/// <param name="AllowedNetworks">Empty: any address.</param>
public sealed record ApiKeyRequest(string Name, IReadOnlyList<string> Scopes, TimeSpan? Lifetime, IReadOnlyList<System.Net.IPNetwork> AllowedNetworks);

/// <summary>
/// Creating, listing and revoking a workspace's API keys, and the public leak reports of secret
/// scanners. Only owners and admins with a verified email create or revoke keys
/// (<see cref="WorkspaceOperation.ManageApiKeys"/>); every change is audited in the same SaveChanges.
/// A key is never stored: the caller gets it once from <see cref="CreateAsync"/>.
/// </summary>
public sealed class ApiKeyService(
    KryptosDbContext db,
    AuditLog audit,
    ApiKeyView view,
    IEmailSender email,
    PublicUrls urls,
    TimeProvider time)
{
    public const string LeakedReason = "reported as leaked";

    /// <summary>The expiries the portal offers, in days; null is "never".</summary>
    public static readonly IReadOnlyList<int?> Lifetimes = [30, 90, 365, null];

    public Task<List<ApiKey>> ListAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        db.ApiKeys.AsNoTracking().Where(k => k.WorkspaceId == workspaceId).OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);

    public Task<int> CountLiveAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        return db.ApiKeys.CountAsync(k => k.WorkspaceId == workspaceId && k.RevokedAt == null && (k.ExpiresAt == null || k.ExpiresAt > now), cancellationToken);
    }

    /// <summary>The key <paramref name="id"/> of workspace <paramref name="workspaceId"/>, or null (also when it belongs to another workspace).</summary>
    public Task<ApiKey?> FindAsync(Guid workspaceId, Guid id, CancellationToken cancellationToken = default) =>
        db.ApiKeys.SingleOrDefaultAsync(k => k.WorkspaceId == workspaceId && k.Id == id, cancellationToken);

    /// <summary>Creates a key; the returned string is the key itself, shown once and never stored.</summary>
    public async Task<(WorkspaceResult Result, ApiKey? Key, string? Secret)> CreateAsync(WorkspaceMembership membership, User creator, ApiKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(creator);
        ArgumentNullException.ThrowIfNull(request);
        if (Check(membership, creator) is { Succeeded: false } refused)
        {
            return (refused, null, null);
        }

        if (request.Scopes.Count == 0 || !request.Scopes.All(ApiKeyScopes.IsAllowed))
        {
            return (WorkspaceResult.Fail("Choose at least one data scope."), null, null);
        }

        var now = time.GetUtcNow();
        var secret = ApiKeyFormat.Create();
        var key = new ApiKey
        {
            WorkspaceId = membership.Workspace.Id,
            Name = request.Name,
            Hash = SecureTokens.Hash(secret),
            Prefix = secret[..ApiKeyFormat.DisplayPrefixLength],
            LastFour = secret[^4..],
            // In the vocabulary's order, whatever order the form sent.
            Scopes = string.Join(' ', ApiKeyScopes.All.Select(s => s.Name).Where(request.Scopes.Contains)),
            ExpiresAt = request.Lifetime is { } lifetime ? now + lifetime : null,
            AllowedNetworks = ApiKeyNetworks.Format(request.AllowedNetworks),
            CreatedByUserId = creator.Id,
            CreatedByEmail = creator.Email ?? "",
            CreatedAt = now,
        };
        db.ApiKeys.Add(key);
        audit.Record(membership.Workspace.Id, AuditActions.ApiKeyCreated,
            $"Created API key \"{key.Name}\" ({key.Display}) with {key.Scopes}, {(key.ExpiresAt is { } at ? $"expiring {at:yyyy-MM-dd}" : "never expiring")}"
            + (key.AllowedNetworks is null ? "" : $", from {key.AllowedNetworks} only"), creator);
        await db.SaveChangesAsync(cancellationToken);
        return (WorkspaceResult.Ok, key, secret);
    }

    public async Task<WorkspaceResult> RevokeAsync(WorkspaceMembership membership, User actor, ApiKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(key);
        if (Check(membership, actor) is { Succeeded: false } refused)
        {
            return refused;
        }

        if (key.IsRevoked)
        {
            return WorkspaceResult.Ok;
        }

        key.RevokedAt = time.GetUtcNow();
        key.RevokedReason = $"revoked by {actor.Email}";
        audit.Record(membership.Workspace.Id, AuditActions.ApiKeyRevoked, $"Revoked API key \"{key.Name}\" ({key.Display})", actor);
        await db.SaveChangesAsync(cancellationToken);
        view.Revoked(key.Hash);
        return WorkspaceResult.Ok;
    }

    /// <summary>
    /// Revokes every live key among <paramref name="candidates"/>, audits it and mails each workspace's
    /// owners. Strings that are not well-formed keys are skipped without a query. Returns how many keys
    /// were revoked, for logs and tests only: the endpoint answers the same whatever it is.
    /// </summary>
    public async Task<int> ReportLeakedAsync(IEnumerable<string> candidates, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var hashes = candidates.Where(c => ApiKeyFormat.IsWellFormed(c)).Select(SecureTokens.Hash).Distinct().ToList();
        if (hashes.Count == 0)
        {
            return 0;
        }

        var keys = await db.ApiKeys.Where(k => hashes.Contains(k.Hash) && k.RevokedAt == null).ToListAsync(cancellationToken);
        if (keys.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        foreach (var key in keys)
        {
            key.RevokedAt = now;
            key.RevokedReason = LeakedReason;
            audit.Record(key.WorkspaceId, AuditActions.ApiKeyLeakReported,
                $"API key \"{key.Name}\" ({key.Display}) was reported as leaked and revoked");
        }

        await db.SaveChangesAsync(cancellationToken);
        foreach (var key in keys)
        {
            view.Revoked(key.Hash);
        }

        var workspaceIds = keys.Select(k => k.WorkspaceId).Distinct().ToList();
        var owners = await db.WorkspaceMembers.AsNoTracking()
            .Where(m => workspaceIds.Contains(m.WorkspaceId) && m.Role == WorkspaceRole.Owner)
            .Select(m => new { m.WorkspaceId, WorkspaceName = m.Workspace.Name, m.User.Email })
            .ToListAsync(cancellationToken);
        foreach (var key in keys)
        {
            foreach (var owner in owners.Where(o => o.WorkspaceId == key.WorkspaceId && o.Email is not null))
            {
                await email.SendAsync(EmailTemplates.ApiKeyLeaked(owner.Email!, owner.WorkspaceName, key.Name, key.Display,
                    urls.Absolute($"/workspaces/{key.WorkspaceId}/keys/{key.Id}")), cancellationToken);
            }
        }

        return keys.Count;
    }

    /// <summary>The workspace's access check, and a verified email to issue a credential, as for client secrets.</summary>
    private static WorkspaceResult Check(WorkspaceMembership membership, User actor)
    {
        if (!membership.Can(WorkspaceOperation.ManageApiKeys))
        {
            return WorkspaceResult.Denied("Only owners and admins can manage API keys.");
        }

        return actor.EmailConfirmed
            ? WorkspaceResult.Ok
            : WorkspaceResult.Denied("Verify your email address before managing API keys.");
    }
}
