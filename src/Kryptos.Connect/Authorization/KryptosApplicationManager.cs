using System.Security.Cryptography;
using System.Text;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// OpenIddict's application manager, with client secrets checked against the <see cref="ClientSecret"/>
/// table instead of the single secret column: any active (unexpired, unrevoked) secret of the client
/// is accepted, which is what makes zero-downtime rotation possible.
/// </summary>
public sealed class KryptosApplicationManager(
    IOpenIddictApplicationCache<OAuthClient> cache,
    ILogger<OpenIddictApplicationManager<OAuthClient>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<OAuthClient> store,
    KryptosDbContext db,
    TimeProvider time)
    : OpenIddictApplicationManager<OAuthClient>(cache, logger, options, store)
{
    // OpenIddict's own secret column holds the hash of a random value that was never shown to
    // anyone; it plays no part in validation.

    public override async ValueTask<bool> ValidateClientSecretAsync(OAuthClient application, string secret, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        if (string.IsNullOrEmpty(secret) || application.ClientType != OpenIddictConstants.ClientTypes.Confidential)
        {
            return false;
        }

        var hash = Encoding.ASCII.GetBytes(SecureTokens.Hash(secret));
        var now = time.GetUtcNow();
        // A local, not application.Id in the query: EF Core compiles a member access on a captured
        // entity into a new dynamic method on every call.
        var applicationId = application.Id;
        var candidates = await db.ClientSecrets
            .Where(s => s.ApplicationId == applicationId && s.RevokedAt == null)
            .ToListAsync(cancellationToken);
        // Compare every candidate in constant time; stop only after looking at all of them.
        var valid = false;
        foreach (var candidate in candidates)
        {
            valid |= candidate.IsActive(now) && CryptographicOperations.FixedTimeEquals(hash, Encoding.ASCII.GetBytes(candidate.Hash));
        }

        return valid;
    }
}
