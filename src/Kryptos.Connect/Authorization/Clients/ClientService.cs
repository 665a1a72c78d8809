using System.Text.Json;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using OpenIddict.Core;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization.Clients;

public sealed record ClientSummary(string ClientId, string Name, bool IsConfidential, bool IsDisabled, DateTimeOffset CreatedAt);

/// <summary>A newly issued client secret: shown once, then only its hint remains.</summary>
public sealed record IssuedSecret(string Value, string Hint);

/// <summary>
/// OAuth client registration and lifecycle. Clients are written through OpenIddict's application
/// manager (which validates them and keeps its cache right), so the authorization server uses exactly
/// these records. Every query is scoped to one workspace.
/// </summary>
public sealed class ClientService(
    KryptosDbContext db,
    OpenIddictApplicationManager<OAuthClient> applications,
    OpenIddictAuthorizationManager<OAuthGrant> authorizations,
    IOpenIddictTokenManager tokens,
    AuditLog audit,
    ClientOrigins origins,
    TimeProvider time)
{
    public const string ClientIdPrefix = "kc_";
    public const string SecretPrefix = "kryptos_cs_";

    public static readonly IReadOnlyDictionary<string, TimeSpan> GracePeriods = new Dictionary<string, TimeSpan>
    {
        ["none"] = TimeSpan.Zero,
        ["1h"] = TimeSpan.FromHours(1),
        ["24h"] = TimeSpan.FromHours(24),
        ["7d"] = TimeSpan.FromDays(7),
    };

    public Task<List<ClientSummary>> ListAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        db.OAuthClients
            .Where(c => c.WorkspaceId == workspaceId)
            .OrderBy(c => c.DisplayName)
            .Select(c => new ClientSummary(c.ClientId!, c.DisplayName!, c.ClientType == ClientTypes.Confidential, c.IsDisabled, c.CreatedAt))
            .ToListAsync(cancellationToken);

    /// <summary>The client <paramref name="clientId"/> of workspace <paramref name="workspaceId"/>, or null (also when it belongs to another workspace).</summary>
    public Task<OAuthClient?> FindAsync(Guid workspaceId, string clientId, CancellationToken cancellationToken = default) =>
        db.OAuthClients
            .Include(c => c.Secrets)
            .SingleOrDefaultAsync(c => c.WorkspaceId == workspaceId && c.ClientId == clientId, cancellationToken);

    public async Task<(WorkspaceResult Result, OAuthClient? Client, IssuedSecret? Secret)> CreateAsync(WorkspaceMembership membership, User creator, ClientRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(creator);
        ArgumentNullException.ThrowIfNull(registration);
        if (Check(membership, creator) is { Succeeded: false } refused)
        {
            return (refused, null, null);
        }

        var now = time.GetUtcNow();
        var client = new OAuthClient
        {
            WorkspaceId = membership.Workspace.Id,
            CreatedByUserId = creator.Id,
            CreatedAt = now,
            UpdatedAt = now,
        };
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientIdPrefix + SecureTokens.CreateIdentifier(),
            ClientType = registration.IsConfidential ? ClientTypes.Confidential : ClientTypes.Public,
            ApplicationType = registration.IsConfidential ? ApplicationTypes.Web : ApplicationTypes.Native,
            ConsentType = ConsentTypes.Explicit,
        };
        Apply(descriptor, registration);
        await applications.PopulateAsync(client, descriptor, cancellationToken);
        client.AllowedOrigins = JsonSerializer.Serialize(registration.AllowedOrigins);

        IssuedSecret? secret = null;
        if (registration.IsConfidential)
        {
            secret = AddSecret(client, creator.Id, now);
        }

        audit.Record(membership.Workspace.Id, AuditActions.ClientCreated,
            $"Created {(registration.IsConfidential ? "confidential" : "public")} client \"{registration.Name}\" ({descriptor.ClientId})");
        // The store saves the client, its first secret and the audit event in one SaveChanges.
        // OpenIddict insists on a secret of its own for a confidential client; it gets a random one
        // that nobody ever sees (KryptosApplicationManager checks the ClientSecrets table instead).
        await applications.CreateAsync(client, registration.IsConfidential ? SecureTokens.Create() : null, cancellationToken);
        await origins.RefreshAsync(cancellationToken);
        return (WorkspaceResult.Ok, client, secret);
    }

    public async Task<WorkspaceResult> UpdateAsync(WorkspaceMembership membership, OAuthClient client, ClientRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(registration);
        if (Check(membership) is { Succeeded: false } refused)
        {
            return refused;
        }

        var removed = RegisteredScopes(client).Except(registration.Scopes, StringComparer.Ordinal).ToList();
        var descriptor = new OpenIddictApplicationDescriptor();
        await applications.PopulateAsync(descriptor, client, cancellationToken);
        Apply(descriptor, registration);
        client.AllowedOrigins = JsonSerializer.Serialize(registration.AllowedOrigins);
        client.UpdatedAt = time.GetUtcNow();
        var narrowed = removed.Count == 0 ? "" : $"; removed {string.Join(" ", removed)} from its grants";
        audit.Record(membership.Workspace.Id, AuditActions.ClientUpdated, $"Updated client \"{registration.Name}\" ({client.ClientId}){narrowed}");
        await applications.UpdateAsync(client, descriptor, cancellationToken);
        if (removed.Count > 0)
        {
            await NarrowGrantsAsync(client, removed, cancellationToken);
        }

        await origins.RefreshAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    /// <summary>
    /// A scope the client no longer registers leaves every grant it holds: the next refresh issues
    /// tokens without it (the token endpoint issues only what the grant still holds), and remembered
    /// consent no longer covers it.
    /// </summary>
    private async Task NarrowGrantsAsync(OAuthClient client, IReadOnlyCollection<string> removed, CancellationToken cancellationToken)
    {
        var grants = await db.OAuthGrants.Where(g => g.Application!.Id == client.Id && g.Status == Statuses.Valid).ToListAsync(cancellationToken);
        foreach (var grant in grants)
        {
            var descriptor = new OpenIddictAuthorizationDescriptor();
            await authorizations.PopulateAsync(descriptor, grant, cancellationToken);
            if (descriptor.Scopes.RemoveWhere(removed.Contains) > 0)
            {
                await authorizations.UpdateAsync(grant, descriptor, cancellationToken);
            }
        }
    }

    public async Task<WorkspaceResult> SetDisabledAsync(WorkspaceMembership membership, OAuthClient client, bool disabled, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(client);
        if (Check(membership) is { Succeeded: false } refused)
        {
            return refused;
        }

        if (client.IsDisabled == disabled)
        {
            return WorkspaceResult.Ok;
        }

        client.IsDisabled = disabled;
        client.UpdatedAt = time.GetUtcNow();
        audit.Record(membership.Workspace.Id, disabled ? AuditActions.ClientDisabled : AuditActions.ClientEnabled,
            disabled
                ? $"Disabled client \"{client.DisplayName}\" ({client.ClientId}) and revoked all its tokens"
                : $"Enabled client \"{client.DisplayName}\" ({client.ClientId})");
        await applications.UpdateAsync(client, cancellationToken);
        if (disabled)
        {
            // Disabling is the kill switch: every access and refresh token of the client dies now (an
            // introspection answers inactive). The users' consents stay, so after re-enabling they sign
            // in again without a consent screen; no token revives (docs/decisions/0007).
            await tokens.RevokeByApplicationIdAsync(client.Id!, cancellationToken);
        }

        await origins.RefreshAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    /// <summary>Deletes the client; OpenIddict's store deletes its grants and tokens with it.</summary>
    public async Task<WorkspaceResult> DeleteAsync(WorkspaceMembership membership, OAuthClient client, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(client);
        if (Check(membership) is { Succeeded: false } refused)
        {
            return refused;
        }
        audit.Record(membership.Workspace.Id, AuditActions.ClientDeleted, $"Deleted client \"{client.DisplayName}\" ({client.ClientId})");
        await applications.DeleteAsync(client, cancellationToken);
        await origins.RefreshAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    /// <summary>
    /// Issues a new secret. Every secret active before keeps working for <paramref name="gracePeriod"/>
    /// (never longer than it would have anyway), then stops — zero-downtime rotation.
    /// </summary>
    public async Task<(WorkspaceResult Result, IssuedSecret? Secret)> RotateSecretAsync(WorkspaceMembership membership, User actor, OAuthClient client, TimeSpan gracePeriod, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(client);
        if (Check(membership, actor) is { Succeeded: false } refused)
        {
            return (refused, null);
        }

        if (client.ClientType != ClientTypes.Confidential)
        {
            return (WorkspaceResult.Fail("Public clients have no secret to rotate."), null);
        }

        var now = time.GetUtcNow();
        var until = now + gracePeriod;
        foreach (var previous in client.Secrets.Where(s => s.IsActive(now)))
        {
            if (gracePeriod == TimeSpan.Zero)
            {
                previous.RevokedAt = now;
            }
            else if (previous.ExpiresAt is null || previous.ExpiresAt > until)
            {
                previous.ExpiresAt = until;
            }
        }

        var secret = AddSecret(client, actor.Id, now);
        client.UpdatedAt = now;
        var grace = gracePeriod == TimeSpan.Zero ? "no grace period" : $"a grace period of {Describe(gracePeriod)}";
        audit.Record(membership.Workspace.Id, AuditActions.ClientSecretRotated,
            $"Rotated the secret of client \"{client.DisplayName}\" ({client.ClientId}) with {grace}; new secret …{secret.Hint}");
        await db.SaveChangesAsync(cancellationToken);
        return (WorkspaceResult.Ok, secret);
    }

    public async Task<WorkspaceResult> RevokeSecretAsync(WorkspaceMembership membership, OAuthClient client, Guid secretId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(client);
        if (Check(membership) is { Succeeded: false } refused)
        {
            return refused;
        }

        var now = time.GetUtcNow();
        var secret = client.Secrets.SingleOrDefault(s => s.Id == secretId);
        if (secret is null || !secret.IsActive(now))
        {
            return WorkspaceResult.Fail("That secret is no longer active.");
        }

        if (client.Secrets.Count(s => s.IsActive(now)) == 1)
        {
            return WorkspaceResult.Fail("This is the client's only active secret. Rotate first, then revoke the old one.");
        }

        secret.RevokedAt = now;
        audit.Record(membership.Workspace.Id, AuditActions.ClientSecretRevoked,
            $"Revoked secret …{secret.Hint} of client \"{client.DisplayName}\" ({client.ClientId})");
        await db.SaveChangesAsync(cancellationToken);
        return WorkspaceResult.Ok;
    }

    /// <summary>The scopes a client registered, read back from its OpenIddict permissions.</summary>
    public static List<string> RegisteredScopes(OAuthClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var permissions = client.Permissions is null ? [] : JsonSerializer.Deserialize<List<string>>(client.Permissions) ?? [];
        var scopes = new HashSet<string>(StringComparer.Ordinal) { KryptosScopes.OpenId };
        foreach (var permission in permissions)
        {
            if (permission.StartsWith(Permissions.Prefixes.Scope, StringComparison.Ordinal))
            {
                scopes.Add(permission[Permissions.Prefixes.Scope.Length..]);
            }
            else if (permission == Permissions.GrantTypes.RefreshToken)
            {
                scopes.Add(KryptosScopes.OfflineAccess);
            }
        }

        return [.. KryptosScopes.All.Select(s => s.Name).Where(scopes.Contains)];
    }

    public static List<string> Origins(OAuthClient client) =>
        string.IsNullOrEmpty(client?.AllowedOrigins) ? [] : JsonSerializer.Deserialize<List<string>>(client.AllowedOrigins) ?? [];

    public static string Describe(TimeSpan period) =>
        period.TotalDays >= 1 ? $"{period.TotalDays:0} day{(period.TotalDays == 1 ? "" : "s")}" : $"{period.TotalHours:0} hour{(period.TotalHours == 1 ? "" : "s")}";

    /// <summary>
    /// Writes the registration into OpenIddict's descriptor: redirect URIs and the permissions that
    /// decide what the authorization server lets this client do. PKCE is required for every client.
    /// </summary>
    private static void Apply(OpenIddictApplicationDescriptor descriptor, ClientRegistration registration)
    {
        descriptor.DisplayName = registration.Name;
        descriptor.RedirectUris.Clear();
        foreach (var uri in registration.RedirectUris)
        {
            descriptor.RedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        descriptor.PostLogoutRedirectUris.Clear();
        foreach (var uri in registration.PostLogoutRedirectUris)
        {
            descriptor.PostLogoutRedirectUris.Add(new Uri(uri, UriKind.Absolute));
        }

        descriptor.Permissions.Clear();
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.PushedAuthorization,
            Permissions.Endpoints.Token,
            Permissions.Endpoints.EndSession,
            Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.ResponseTypes.Code,
        ]);
        if (descriptor.ClientType == ClientTypes.Confidential)
        {
            // Introspection needs an authenticated client (RFC 7662 §2.1).
            descriptor.Permissions.Add(Permissions.Endpoints.Introspection);
        }

        foreach (var scope in registration.Scopes)
        {
            if (scope == KryptosScopes.OfflineAccess)
            {
                descriptor.Permissions.Add(Permissions.GrantTypes.RefreshToken);
            }
            else if (scope != KryptosScopes.OpenId)
            {
                descriptor.Permissions.Add(Permissions.Prefixes.Scope + scope);
            }
        }

        descriptor.Requirements.Clear();
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
    }

    private IssuedSecret AddSecret(OAuthClient client, Guid userId, DateTimeOffset now)
    {
        var value = SecretPrefix + SecureTokens.Create();
        var hint = value[^4..];
        var secret = new ClientSecret
        {
            ApplicationId = client.Id!,
            Hash = SecureTokens.Hash(value),
            Hint = hint,
            CreatedAt = now,
            CreatedByUserId = userId,
        };
        // Added explicitly: its key is set already, so change tracking alone would take it for an existing row.
        db.ClientSecrets.Add(secret);
        client.Secrets.Add(secret);
        return new IssuedSecret(value, hint);
    }

    /// <summary>
    /// The workspace's access check, plus one rule of our own: only a verified account issues
    /// credentials (a client secret), so nobody mints them under someone else's address.
    /// </summary>
    private static WorkspaceResult Check(WorkspaceMembership membership, User? issuer = null)
    {
        if (!membership.Can(WorkspaceOperation.ManageClients))
        {
            return WorkspaceResult.Denied("Only owners, admins and editors can manage OAuth clients.");
        }

        return issuer is { EmailConfirmed: false }
            ? WorkspaceResult.Denied("Verify your email address before issuing client credentials.")
            : WorkspaceResult.Ok;
    }
}
