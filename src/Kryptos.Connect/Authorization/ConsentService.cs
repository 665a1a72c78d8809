using System.Collections.Immutable;
using System.Globalization;
using System.Security.Claims;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// Grants (OpenIddict authorizations bound to one workspace) and the claims put into tokens.
/// Shared by the authorization endpoint (first consent), the token endpoint (every refresh) and the
/// connected-apps page (revocation).
/// </summary>
public sealed class ConsentService(
    KryptosDbContext db,
    AuditLog audit,
    OpenIddictAuthorizationManager<OAuthGrant> authorizations,
    IOptions<AuthorizationServerOptions> options,
    TimeProvider time)
{
    /// <summary>
    /// A grant never exceeds the user's role in the workspace: every role may read, only owners,
    /// admins and editors may hold <c>:write</c> scopes (none are offered yet).
    /// </summary>
    public static ImmutableArray<string> AllowedScopes(WorkspaceRole role, IEnumerable<string> requested) =>
        [.. requested.Where(scope => !scope.EndsWith(":write", StringComparison.Ordinal) || role is WorkspaceRole.Owner or WorkspaceRole.Admin or WorkspaceRole.Editor)];

    /// <summary>
    /// Valid, remembered grants of <paramref name="userId"/> to <paramref name="client"/> that cover
    /// every requested scope, newest first.
    /// </summary>
    public async Task<List<OAuthGrant>> FindRememberedAsync(Guid userId, OAuthClient client, ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        var grants = new List<OAuthGrant>();
        await foreach (var grant in authorizations.FindAsync(userId.ToString(), client.Id!, Statuses.Valid, AuthorizationTypes.Permanent, scopes, cancellationToken))
        {
            grants.Add(grant);
        }

        // Only grants on workspaces the user still belongs to, and may still share, count.
        var shareable = (await db.WorkspaceMembers.Where(m => m.UserId == userId)
                .Select(m => new { m.WorkspaceId, m.Role, m.Workspace.MembersMayConnectApps })
                .ToListAsync(cancellationToken))
            .Where(m => WorkspacePermissions.Allows(m.Role, WorkspaceOperation.ShareWithApps, m.MembersMayConnectApps))
            .Select(m => m.WorkspaceId)
            .ToHashSet();
        return [.. grants.Where(g => g.WorkspaceId is { } id && shareable.Contains(id)).OrderByDescending(g => g.CreationDate)];
    }

    /// <summary>
    /// Records the user's consent as a permanent grant on one workspace, and tells the workspace's
    /// audit log who connected which app with which scopes.
    /// </summary>
    public async Task<OAuthGrant> GrantAsync(User user, OAuthClient client, Guid workspaceId, ImmutableArray<string> scopes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(client);
        var descriptor = new OpenIddictAuthorizationDescriptor
        {
            ApplicationId = client.Id,
            Subject = user.Id.ToString(),
            Status = Statuses.Valid,
            Type = AuthorizationTypes.Permanent,
            CreationDate = time.GetUtcNow(),
        };
        descriptor.Scopes.UnionWith(scopes);
        var grant = new OAuthGrant { WorkspaceId = workspaceId };
        await authorizations.PopulateAsync(grant, descriptor, cancellationToken);
        // Saved with the grant (OpenIddict's store saves the same unit of work).
        audit.Record(workspaceId, AuditActions.AppConnected,
            $"{user.Email} connected \"{client.DisplayName}\" ({client.ClientId}) with {string.Join(" ", scopes)}", user);
        await authorizations.CreateAsync(grant, cancellationToken);
        return grant;
    }

    /// <summary>Whether a refresh chain that began at <paramref name="chainStart"/> is past its absolute lifetime.</summary>
    public bool IsPastAbsoluteLifetime(DateTimeOffset chainStart) =>
        chainStart + options.Value.RefreshTokenAbsoluteLifetime < time.GetUtcNow();

    /// <summary>
    /// When the refresh chain of a presented code or refresh token began. A code starts a new chain
    /// now; a refresh token carries the start of its chain. Tokens issued before the claim existed
    /// count from the grant's creation, as they did then.
    /// </summary>
    public DateTimeOffset RefreshChainStart(ClaimsPrincipal presented, OAuthGrant grant, bool isCode)
    {
        ArgumentNullException.ThrowIfNull(presented);
        ArgumentNullException.ThrowIfNull(grant);
        if (isCode)
        {
            return time.GetUtcNow();
        }

        return long.TryParse(presented.GetClaim(KryptosClaims.RefreshChainStart), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : grant.CreationDate ?? DateTimeOffset.MinValue;
    }

    /// <summary>How stale <see cref="OAuthGrant.LastUsedAt"/> may get before a token exchange writes it again.</summary>
    public static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Records that a token of <paramref name="grant"/> was issued. The time is shown to people ("last
    /// used"), so it is written at most once per <see cref="LastUsedResolution"/>: a client that
    /// refreshes every few seconds does not cost a database write each time. Nothing security-relevant
    /// depends on it.
    /// </summary>
    public async Task TouchAsync(OAuthGrant grant, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(grant);
        var now = time.GetUtcNow();
        if (grant.LastUsedAt is { } last && now - last < LastUsedResolution && now >= last)
        {
            return;
        }

        grant.LastUsedAt = now;
        await db.SaveChangesAsync(cancellationToken);
    }

    /// <summary>
    /// The identity behind every token of a grant, from the user's current data. Each claim is sent
    /// only where its scope allows (see <see cref="DestinationsOf"/>).
    /// </summary>
    /// <remarks>
    /// <paramref name="refreshChainStart"/> is set at the token endpoint; the codes issued by the
    /// authorization endpoint have none (their chain starts when they are redeemed).
    /// </remarks>
    public ClaimsPrincipal CreatePrincipal(User user, Guid workspaceId, ImmutableArray<string> scopes, string grantId, DateTimeOffset? refreshChainStart = null, DateTimeOffset? authenticatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, Claims.Name, Claims.Role);
        // sub: the account's id — stable, opaque, never the email (which can change).
        identity.SetClaim(Claims.Subject, user.Id.ToString())
            .SetClaim(Claims.Name, user.DisplayName)
            .SetClaim(Claims.PreferredUsername, user.Email)
            .SetClaim(Claims.Locale, user.Language)
            .SetClaim(Claims.UpdatedAt, user.UpdatedAt.ToUnixTimeSeconds())
            .SetClaim(Claims.Email, user.Email)
            .SetClaim(Claims.EmailVerified, user.EmailConfirmed)
            .SetClaim(KryptosClaims.WorkspaceId, workspaceId.ToString());
        if (refreshChainStart is { } chainStart)
        {
            // No destination: kept in the refresh token only, so the next refresh knows the chain's age.
            identity.SetClaim(KryptosClaims.RefreshChainStart, chainStart.ToUnixTimeSeconds());

            // A new refresh token never outlives its chain: near the cap it gets only what is left,
            // so its exp (and introspection) tell the truth.
            var left = chainStart + options.Value.RefreshTokenAbsoluteLifetime - time.GetUtcNow();
            if (left < options.Value.RefreshTokenLifetime)
            {
                identity.SetRefreshTokenLifetime(left > TimeSpan.Zero ? left : TimeSpan.FromSeconds(1));
            }
        }

        if (authenticatedAt is { } authTime)
        {
            identity.SetClaim(Claims.AuthenticationTime, authTime.ToUnixTimeSeconds());
        }

        identity.SetScopes(scopes);
        if (scopes.Any(scope => scope.Contains(':', StringComparison.Ordinal)))
        {
            // Access tokens that carry API scopes are for the Connect API.
            identity.SetResources(options.Value.ApiAudience);
        }

        identity.SetAuthorizationId(grantId);
        identity.SetDestinations(claim => DestinationsOf(claim, scopes));
        return new ClaimsPrincipal(identity);
    }

    /// <summary>
    /// Where a claim goes. The access token carries only what the Connect API needs (sub, workspace);
    /// the ID token carries profile and email claims when their scope was granted. Userinfo reads the
    /// user afresh, so it needs no token claims.
    /// </summary>
    public static IEnumerable<string> DestinationsOf(Claim claim, ImmutableArray<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(claim);
        switch (claim.Type)
        {
            case Claims.Subject:
                yield return Destinations.AccessToken;
                yield return Destinations.IdentityToken;
                break;
            case KryptosClaims.WorkspaceId:
                yield return Destinations.AccessToken;
                break;
            case Claims.AuthenticationTime:
                yield return Destinations.IdentityToken;
                break;
            case Claims.Name or Claims.PreferredUsername or Claims.Locale or Claims.UpdatedAt when scopes.Contains(KryptosScopes.Profile):
                yield return Destinations.IdentityToken;
                break;
            case Claims.Email or Claims.EmailVerified when scopes.Contains(KryptosScopes.Email):
                yield return Destinations.IdentityToken;
                break;
        }
    }
}
