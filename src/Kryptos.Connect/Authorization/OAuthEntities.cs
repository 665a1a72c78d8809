using Kryptos.Connect.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using OpenIddict.EntityFrameworkCore.Models;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// An OAuth client: OpenIddict's application entity plus what the portal needs. The authorization
/// server reads exactly these records through OpenIddict's application store.
/// </summary>
public sealed class OAuthClient : OpenIddictEntityFrameworkCoreApplication<string, OAuthGrant, OAuthToken>
{
    public OAuthClient() => Id = Guid.CreateVersion7().ToString();

    public Guid WorkspaceId { get; set; }

    /// <summary>A disabled client cannot start a flow or redeem tokens.</summary>
    public bool IsDisabled { get; set; }

    /// <summary>Origins allowed to call the token endpoint from a browser (CORS), as a JSON array.</summary>
    public string? AllowedOrigins { get; set; }

    public Guid? CreatedByUserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public List<ClientSecret> Secrets { get; } = [];
}

/// <summary>A grant: a user's consent that a client may access one workspace with a set of scopes.</summary>
public sealed class OAuthGrant : OpenIddictEntityFrameworkCoreAuthorization<string, OAuthClient, OAuthToken>
{
    public OAuthGrant() => Id = Guid.CreateVersion7().ToString();

    /// <summary>The one workspace of the user that the client may read.</summary>
    public Guid? WorkspaceId { get; set; }

    /// <summary>When a token of this grant was last issued or refreshed.</summary>
    public DateTimeOffset? LastUsedAt { get; set; }
}

public sealed class OAuthToken : OpenIddictEntityFrameworkCoreToken<string, OAuthClient, OAuthGrant>
{
    public OAuthToken() => Id = Guid.CreateVersion7().ToString();
}

public sealed class OAuthScope : OpenIddictEntityFrameworkCoreScope<string>
{
    public OAuthScope() => Id = Guid.CreateVersion7().ToString();
}

/// <summary>
/// One secret of a confidential client. Several can be valid at once, so a rotation keeps the old
/// secret working for a grace period. Only a SHA-256 hash is stored: secrets carry 256 random bits,
/// so a fast hash is as safe as a slow one and keeps the token endpoint fast.
/// </summary>
public sealed class ClientSecret
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    /// <summary>The key of the <see cref="OAuthClient"/> (not its public client_id).</summary>
    public required string ApplicationId { get; init; }
    public required string Hash { get; init; }

    /// <summary>The last four characters, to tell secrets apart.</summary>
    public required string Hint { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
    public Guid? CreatedByUserId { get; init; }

    public bool IsActive(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

internal sealed class OAuthClientConfiguration : IEntityTypeConfiguration<OAuthClient>
{
    public void Configure(EntityTypeBuilder<OAuthClient> builder)
    {
        builder.HasIndex(c => c.WorkspaceId);
        builder.Property(c => c.AllowedOrigins).HasMaxLength(4000);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(c => c.Secrets).WithOne().HasForeignKey(s => s.ApplicationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class OAuthGrantConfiguration : IEntityTypeConfiguration<OAuthGrant>
{
    public void Configure(EntityTypeBuilder<OAuthGrant> builder)
    {
        builder.HasIndex(g => new { g.Subject, g.WorkspaceId });
        // Deleting a workspace revokes what was granted on it; the grant rows go with it.
        builder.HasOne<Workspace>().WithMany().HasForeignKey(g => g.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ClientSecretConfiguration : IEntityTypeConfiguration<ClientSecret>
{
    public void Configure(EntityTypeBuilder<ClientSecret> builder)
    {
        builder.Property(s => s.ApplicationId).HasMaxLength(100);
        builder.Property(s => s.Hash).HasMaxLength(64);
        builder.Property(s => s.Hint).HasMaxLength(8);
        builder.HasIndex(s => s.Hash).IsUnique();
    }
}
