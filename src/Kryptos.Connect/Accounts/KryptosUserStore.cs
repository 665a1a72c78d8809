using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// Identity's EF user store, without two secrets in clear: the authenticator (TOTP) key is stored
/// protected by Data Protection (it must be read back to check codes), and recovery codes are stored
/// as SHA-256 hashes (they only need to be compared). Identity's default keeps both in clear in
/// <c>UserTokens</c>.
/// </summary>
public sealed class KryptosUserStore(KryptosDbContext context, IDataProtectionProvider dataProtection, IdentityErrorDescriber? describer = null)
    : UserOnlyStore<User, KryptosDbContext, Guid>(context, describer)
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Kryptos.Connect.AuthenticatorKeys.v1");

    /// <summary>
    /// A plain key query instead of the base store's <c>DbSet.FindAsync</c>: EF Core builds Find's
    /// query with a value it compiles to a new dynamic method on every call, and finalizing those
    /// methods took a fifth of the server's managed CPU at the token endpoint (bench/README.md).
    /// A tracking query still returns the instance already tracked, as Find does.
    /// </summary>
    public override Task<User?> FindByIdAsync(string userId, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        return Guid.TryParse(userId, out var id)
            ? Users.FirstOrDefaultAsync(u => u.Id == id, cancellationToken)
            : Task.FromResult<User?>(null);
    }

    public override Task SetAuthenticatorKeyAsync(User user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, _protector.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(User user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        return stored is null ? null : _protector.Unprotect(stored);
    }

    public override Task ReplaceCodesAsync(User user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken) =>
        base.ReplaceCodesAsync(user, recoveryCodes.Select(Hash), cancellationToken);

    public override Task<bool> RedeemCodeAsync(User user, string code, CancellationToken cancellationToken) =>
        base.RedeemCodeAsync(user, Hash(code), cancellationToken);

    private static string Hash(string code) => SecureTokens.Hash(code.Trim().ToUpperInvariant());
}
