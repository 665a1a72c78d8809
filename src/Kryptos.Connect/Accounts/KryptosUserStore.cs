using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

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
