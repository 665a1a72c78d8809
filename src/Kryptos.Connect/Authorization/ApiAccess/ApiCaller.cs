using System.Collections.Frozen;
using System.Security.Claims;

namespace Kryptos.Connect.Authorization.ApiAccess;

/// <summary>
/// Who calls the Connect API, read once from a validated access token: the account (<c>sub</c>), the
/// one workspace the token is bound to, the grant and token behind it and the granted scopes. Kept in
/// the validated-token cache, so a repeated token is not parsed again.
/// </summary>
public sealed class ApiCaller
{
    public ApiCaller(Guid userId, Guid workspaceId, string grantId, string? tokenId, string? clientId, IEnumerable<string> scopes, DateTimeOffset expiresAt)
    {
        UserId = userId;
        WorkspaceId = workspaceId;
        GrantId = grantId;
        TokenId = tokenId;
        ClientId = clientId;
        Scopes = scopes.ToFrozenSet(StringComparer.Ordinal);
        ExpiresAt = expiresAt;
        var identity = new ClaimsIdentity(ApiAccessDefaults.AuthenticationScheme, ApiAccessDefaults.SubjectClaim, null);
        identity.AddClaim(new Claim(ApiAccessDefaults.SubjectClaim, userId.ToString()));
        identity.AddClaim(new Claim(KryptosClaims.WorkspaceId, workspaceId.ToString()));
        foreach (var scope in Scopes)
        {
            identity.AddClaim(new Claim(ApiAccessDefaults.ScopeClaim, scope));
        }

        Principal = new ClaimsPrincipal(identity);
    }

    public Guid UserId { get; }
    public Guid WorkspaceId { get; }
    public string GrantId { get; }
    public string? TokenId { get; }
    public string? ClientId { get; }
    public FrozenSet<string> Scopes { get; }

    /// <summary>
    /// The workspace API key behind the call (<c>X-API-Key</c>), or null for an access token. A key's
    /// caller has no grant and no client: <see cref="GrantId"/> is empty and <see cref="ClientId"/> null.
    /// </summary>
    public Guid? ApiKeyId { get; init; }

    /// <summary>The token's <c>exp</c>: the cache forgets the token then.</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>A principal for ASP.NET Core authorization; shared by every request with this token and never modified.</summary>
    public ClaimsPrincipal Principal { get; }

    public bool HasScope(string scope) => Scopes.Contains(scope);
}

public static class ApiAccessDefaults
{
    /// <summary>The authentication scheme of the Connect API: bearer access tokens from our own server.</summary>
    public const string AuthenticationScheme = "ConnectApiBearer";

    public const string SubjectClaim = "sub";
    public const string ScopeClaim = "scope";
}
