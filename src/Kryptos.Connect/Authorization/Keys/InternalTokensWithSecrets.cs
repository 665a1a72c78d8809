using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Kryptos.Connect.Authorization.Keys;

/// <summary>
/// Chooses the key for every token the server issues, from the key ring's current keys: tokens that
/// only this server reads (authorization codes, refresh tokens: the ones OpenIddict encrypts) are
/// signed with the HMAC secret and encrypted with the AES secret; access and ID tokens, which clients
/// and resource servers validate with the public keys from JWKS, are signed with the RSA key. A
/// refresh then costs one RSA private-key operation instead of three (docs/decisions/0013).
/// </summary>
/// <remarks>
/// OpenIddict's own choice is the first credential of its lists, which it sorts with symmetric keys
/// first (it would sign access tokens with the secret) and with a sort that does not promise to keep
/// the ring's order. So the choice is made here, by key, not by position.
/// </remarks>
internal sealed class InternalTokensWithSecrets(ServerKeyRing ring) : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
            .UseSingletonHandler<InternalTokensWithSecrets>()
            .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public ValueTask HandleAsync(GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        // OpenIddict encrypts what only it reads: not access tokens (DisableAccessTokenEncryption), never ID tokens.
        var internalToken = context.EncryptionCredentials is not null;
        // By id: each refresh of the ring loads new key objects, while the options keep theirs until a
        // key changes. A request that started on options older than the ring (the moment a key takes
        // over) falls back to a key of the right kind from its own options.
        var signingKeyId = ring.Current(internalToken ? ServerKeyUse.SigningSecret : ServerKeyUse.Signing)?.KeyId;
        context.SigningCredentials = context.Options.SigningCredentials.FirstOrDefault(c => signingKeyId is not null && c.Key.KeyId == signingKeyId)
            ?? context.Options.SigningCredentials.First(c => c.Key is SymmetricSecurityKey == internalToken);
        if (internalToken)
        {
            var encryptionKeyId = ring.Current(ServerKeyUse.EncryptionSecret)?.KeyId;
            context.EncryptionCredentials = context.Options.EncryptionCredentials.FirstOrDefault(c => encryptionKeyId is not null && c.Key.KeyId == encryptionKeyId)
                ?? context.Options.EncryptionCredentials.First(c => c.Key is SymmetricSecurityKey);
        }

        return ValueTask.CompletedTask;
    }
}
