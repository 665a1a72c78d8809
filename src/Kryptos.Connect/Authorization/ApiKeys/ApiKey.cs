using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Authorization.ApiKeys;

/// <summary>
/// A workspace API key: a long-lived credential for an enterprise's own servers, reading the
/// workspace's data at <c>/v1</c> with the scopes it was given. The key itself is never stored: only
/// its SHA-256 (to recognise it), and its first and last characters (to recognise it in a list).
/// </summary>
public sealed class ApiKey
{
    public const int NameMaxLength = 80;
    public const int MaxAllowedNetworks = 20;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the whole key.</summary>
    public required string Hash { get; init; }

    /// <summary><c>kryptos_live_</c> and the body's first four characters.</summary>
    public required string Prefix { get; init; }

    public required string LastFour { get; init; }

    /// <summary>Space-separated data scopes (<see cref="ApiKeyScopes"/>).</summary>
    public required string Scopes { get; init; }

    /// <summary>Null: the key never expires.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Space-separated normalised addresses and CIDR ranges; null: any address.</summary>
    public string? AllowedNetworks { get; init; }

    public Guid? CreatedByUserId { get; init; }

    /// <summary>The creator's email at the time, kept when the account is later deleted.</summary>
    public required string CreatedByEmail { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>"Revoked by …" or "reported as leaked".</summary>
    public string? RevokedReason { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }
    public string? LastUsedIp { get; set; }

    public string Display => $"{Prefix}…{LastFour}";

    public IReadOnlyList<string> ScopeList => Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    public IReadOnlyList<string> NetworkList => AllowedNetworks?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    public bool IsRevoked => RevokedAt is not null;

    public bool IsExpired(DateTimeOffset now) => ExpiresAt is { } expiresAt && expiresAt <= now;
}

/// <summary>The scopes a key may carry: every data scope, none of the sign-in ones (a key signs nobody in).</summary>
public static class ApiKeyScopes
{
    public static readonly IReadOnlyList<KryptosScopes.Definition> All =
        [.. KryptosScopes.All.Where(s => s.Name is not (KryptosScopes.OpenId or KryptosScopes.Profile or KryptosScopes.Email or KryptosScopes.OfflineAccess))];

    public static bool IsAllowed(string scope) => All.Any(s => s.Name == scope);
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> builder)
    {
        builder.ToTable("ApiKeys");
        builder.Property(k => k.Name).HasMaxLength(ApiKey.NameMaxLength);
        builder.Property(k => k.Hash).HasMaxLength(64);
        builder.HasIndex(k => k.Hash).IsUnique();
        builder.Property(k => k.Prefix).HasMaxLength(ApiKeyFormat.DisplayPrefixLength);
        builder.Property(k => k.LastFour).HasMaxLength(4);
        builder.Property(k => k.Scopes).HasMaxLength(400);
        builder.Property(k => k.AllowedNetworks).HasMaxLength(2000);
        builder.Property(k => k.CreatedByEmail).HasMaxLength(256);
        builder.Property(k => k.RevokedReason).HasMaxLength(300);
        builder.Property(k => k.LastUsedIp).HasMaxLength(64);
        builder.HasIndex(k => new { k.WorkspaceId, k.CreatedAt });
        builder.HasIndex(k => k.RevokedAt);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(k => k.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<User>().WithMany().HasForeignKey(k => k.CreatedByUserId).OnDelete(DeleteBehavior.SetNull);
        builder.Ignore(k => k.Display);
        builder.Ignore(k => k.ScopeList);
        builder.Ignore(k => k.NetworkList);
        builder.Ignore(k => k.IsRevoked);
    }
}
