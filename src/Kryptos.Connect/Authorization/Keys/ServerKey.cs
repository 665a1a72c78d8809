using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Authorization.Keys;

/// <summary>
/// What a key of the authorization server is for (docs/decisions/0013). Stored by name, at most 16 characters.
/// </summary>
public enum ServerKeyUse
{
    /// <summary>RSA, RS256: access and ID tokens, which others validate with the public key from JWKS.</summary>
    Signing,

    /// <summary>
    /// RSA-OAEP: encrypted codes and refresh tokens before <see cref="EncryptionSecret"/> existed. No
    /// longer created; the stored ones keep decrypting the tokens issued with them until they expire.
    /// </summary>
    Encryption,

    /// <summary>HMAC-SHA256 (256-bit): signs what only this server reads, authorization codes and refresh tokens. Never published.</summary>
    SigningSecret,

    /// <summary>AES-256 key wrap (A256KW with A256CBC-HS512): encrypts authorization codes and refresh tokens. Never published.</summary>
    EncryptionSecret,
}

/// <summary>
/// A key of the authorization server (an RSA key or a 256-bit secret), shared by every instance
/// through the database. The key is stored protected by ASP.NET Core Data Protection, never in clear.
/// </summary>
public sealed class ServerKey
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public ServerKeyUse Use { get; init; }

    /// <summary>
    /// The key's place in its use's sequence: 0 for the first key, one more for each key after. Unique
    /// per use, so instances that create "the first key" or "the next key" at the same moment, each at
    /// its own instant, collide on it and all but one adopt the winner's key.
    /// </summary>
    public int Generation { get; init; }

    /// <summary>The PKCS#8 private key (RSA uses) or the 32 secret bytes, protected with Data Protection and base64-encoded.</summary>
    public required string ProtectedKey { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>From then on the key signs (or encrypts). Until then it is only published.</summary>
    public DateTimeOffset ActivatesAt { get; init; }

    /// <summary>From then on a newer key has taken over; the key still validates (or decrypts) until <see cref="ExpiresAt"/>.</summary>
    public DateTimeOffset RetiresAt { get; init; }

    /// <summary>After this the key is neither published nor used, and is deleted.</summary>
    public DateTimeOffset ExpiresAt { get; init; }
}

internal sealed class ServerKeyConfiguration : IEntityTypeConfiguration<ServerKey>
{
    public void Configure(EntityTypeBuilder<ServerKey> builder)
    {
        builder.Property(k => k.Use).HasConversion<string>().HasMaxLength(16);
        builder.Property(k => k.ProtectedKey).HasMaxLength(8000);
        // One key per use and generation: two instances creating the same key at once (both on an empty
        // database, or both rotating) insert the same Generation, and the second insert fails instead
        // of creating a key the first instance does not know. ActivatesAt stays unique as well.
        builder.HasIndex(k => new { k.Use, k.Generation }).IsUnique();
        builder.HasIndex(k => new { k.Use, k.ActivatesAt }).IsUnique();
    }
}
