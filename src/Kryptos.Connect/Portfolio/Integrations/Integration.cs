using Kryptos.Connect.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Portfolio.Integrations;

/// <summary>What kind of account an integration is.</summary>
public enum IntegrationKind
{
    /// <summary>A self-custody wallet: a public address on one chain.</summary>
    Wallet,

    /// <summary>An account at an exchange.</summary>
    Exchange,

    /// <summary>Transactions that came from CSV files of another source.</summary>
    Csv,
}

/// <summary>Where the integration's data stands.</summary>
public enum SyncStatus
{
    /// <summary>Created, nothing imported yet.</summary>
    Pending,

    /// <summary>An import is running.</summary>
    Syncing,

    /// <summary>The last import finished.</summary>
    Synced,

    /// <summary>The last import failed; nothing of it was kept.</summary>
    Failed,
}

/// <summary>
/// One account of a workspace that transactions belong to: a wallet, an exchange account or a CSV
/// source. Its provider comes from the bundled catalogue (<see cref="Providers.ProviderCatalogue"/>).
/// </summary>
public sealed class Integration
{
    public const int NameMaxLength = 80;
    public const int AddressMaxLength = 128;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public IntegrationKind Kind { get; init; }

    /// <summary>The provider's id in the catalogue, e.g. <c>coinbase</c>, <c>ledger</c>, <c>ethereum</c>.</summary>
    public required string ProviderId { get; init; }

    public required string Name { get; set; }

    /// <summary>For wallets: the chain's provider id (e.g. <c>ethereum</c>).</summary>
    public string? Chain { get; set; }

    /// <summary>For wallets: the public address. Never a private key.</summary>
    public string? Address { get; set; }

    public SyncStatus SyncStatus { get; set; } = SyncStatus.Pending;
    public DateTimeOffset? LastSyncedAt { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    public Workspace Workspace { get; init; } = null!;
}

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> builder)
    {
        builder.ToTable("Integrations");
        builder.HasIndex(i => i.WorkspaceId);
        builder.Property(i => i.Kind).HasConversion<string>().HasMaxLength(16);
        builder.Property(i => i.ProviderId).HasMaxLength(40);
        builder.Property(i => i.Name).HasMaxLength(Integration.NameMaxLength);
        builder.Property(i => i.Chain).HasMaxLength(40);
        builder.Property(i => i.Address).HasMaxLength(Integration.AddressMaxLength);
        builder.Property(i => i.SyncStatus).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(i => i.Workspace).WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
