using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Portfolio.Transactions;

/// <summary>What happened, in terms of movement (the API's <c>type</c>).</summary>
public enum TransactionType
{
    /// <summary>Assets arrive from outside the workspace (a purchase with fiat, a gift received).</summary>
    Deposit,

    /// <summary>Assets leave the workspace (a sale for fiat, a payment, a loss).</summary>
    Withdrawal,

    /// <summary>One asset exchanged for another in the same account.</summary>
    Trade,

    /// <summary>Assets moved between two of the workspace's own accounts: never a disposal.</summary>
    Transfer,

    /// <summary>Assets received as income (staking, rewards, airdrops), taxed at fair value.</summary>
    Income,

    /// <summary>A fee paid on its own, e.g. a network fee without another movement.</summary>
    Fee,
}

/// <summary>The fixed label vocabulary (the API's <c>label</c>).</summary>
public enum TransactionLabel
{
    Buy,
    Sell,
    Swap,
    Deposit,
    Withdrawal,
    Transfer,
    StakingRewards,
    Airdrops,
    Income,
    Fee,
    Gift,
    Lost,
}

/// <summary>Which side of a transaction an asset line is on.</summary>
public enum LineDirection
{
    In,
    Out,
    Fee,
}

/// <summary>How a transaction entered Kryptos.</summary>
public enum TransactionOrigin
{
    Manual,
    Csv,
    Demo,
}

/// <summary>
/// A stored transaction of a workspace: incoming assets, outgoing assets and fees (its
/// <see cref="Lines"/>). Holdings, cost basis, gains and ledger entries are computed from these.
/// A <see cref="TransactionType.Transfer"/> leaves <see cref="IntegrationId"/> and arrives in
/// <see cref="CounterpartIntegrationId"/>.
/// </summary>
public sealed class PortfolioTransaction
{
    public const int DescriptionMaxLength = 200;
    public const int ExternalIdMaxLength = 128;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid IntegrationId { get; set; }

    /// <summary>For transfers: the workspace's account the assets arrive in.</summary>
    public Guid? CounterpartIntegrationId { get; set; }

    public TransactionType Type { get; set; }
    public TransactionLabel Label { get; set; }

    /// <summary>When it happened, UTC.</summary>
    public DateTimeOffset OccurredAt { get; set; }

    public string? Description { get; set; }

    /// <summary>
    /// The source's id of the transaction (a CSV's <c>id</c> column, or a hash of the row), unique per
    /// integration, so that importing the same file twice creates no duplicates.
    /// </summary>
    public string? ExternalId { get; set; }

    public TransactionOrigin Origin { get; init; }

    /// <summary>The CSV import that created it, if any.</summary>
    public Guid? ImportJobId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<TransactionLine> Lines { get; } = [];

    public Integration Integration { get; init; } = null!;
}

/// <summary>One asset line: a quantity of an asset, with its unit price in the base currency of the time.</summary>
public sealed class TransactionLine
{
    public const int AssetMaxLength = 16;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid TransactionId { get; init; }
    public LineDirection Direction { get; init; }

    /// <summary>The asset's symbol, upper case (e.g. <c>BTC</c>, <c>USD</c>).</summary>
    public required string Asset { get; init; }

    /// <summary>Always positive; the direction says which way it moved.</summary>
    public decimal Quantity { get; init; }

    /// <summary>Price of one unit in <see cref="Currency"/> when it happened; null when unknown.</summary>
    public decimal? UnitPrice { get; init; }

    /// <summary>The base currency (ISO 4217) the unit price is in.</summary>
    public required string Currency { get; init; }
}

internal sealed class PortfolioTransactionConfiguration : IEntityTypeConfiguration<PortfolioTransaction>
{
    public void Configure(EntityTypeBuilder<PortfolioTransaction> builder)
    {
        builder.ToTable("Transactions");
        builder.HasIndex(t => new { t.WorkspaceId, t.OccurredAt });
        builder.HasIndex(t => new { t.IntegrationId, t.ExternalId }).IsUnique();
        builder.Property(t => t.Type).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Label).HasConversion<string>().HasMaxLength(24);
        builder.Property(t => t.Origin).HasConversion<string>().HasMaxLength(16);
        builder.Property(t => t.Description).HasMaxLength(PortfolioTransaction.DescriptionMaxLength);
        builder.Property(t => t.ExternalId).HasMaxLength(PortfolioTransaction.ExternalIdMaxLength);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(t => t.Integration).WithMany().HasForeignKey(t => t.IntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Integration>().WithMany().HasForeignKey(t => t.CounterpartIntegrationId).OnDelete(DeleteBehavior.Cascade);
        builder.HasMany(t => t.Lines).WithOne().HasForeignKey(l => l.TransactionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TransactionLineConfiguration : IEntityTypeConfiguration<TransactionLine>
{
    public void Configure(EntityTypeBuilder<TransactionLine> builder)
    {
        builder.ToTable("TransactionLines");
        builder.Property(l => l.Direction).HasConversion<string>().HasMaxLength(8);
        builder.Property(l => l.Asset).HasMaxLength(TransactionLine.AssetMaxLength);
        builder.Property(l => l.Currency).HasMaxLength(3);
    }
}
