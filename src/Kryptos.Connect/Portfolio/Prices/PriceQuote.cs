using Kryptos.Connect.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Portfolio.Prices;

/// <summary>
/// A daily close a workspace imported from its own price CSV. Imported prices win over the bundled
/// demo snapshot and the configured price API for that workspace, asset and day.
/// </summary>
public sealed class PriceQuote
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }

    /// <summary>The asset's symbol, upper case.</summary>
    public required string Asset { get; init; }

    public DateOnly Date { get; init; }

    /// <summary>The close, in <see cref="Currency"/>.</summary>
    public decimal Close { get; set; }

    /// <summary>ISO 4217 code of the close.</summary>
    public required string Currency { get; init; }

    public DateTimeOffset ImportedAt { get; set; }
}

internal sealed class PriceQuoteConfiguration : IEntityTypeConfiguration<PriceQuote>
{
    public void Configure(EntityTypeBuilder<PriceQuote> builder)
    {
        builder.ToTable("PriceQuotes");
        builder.HasIndex(p => new { p.WorkspaceId, p.Asset, p.Currency, p.Date }).IsUnique();
        builder.Property(p => p.Asset).HasMaxLength(16);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
