using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Usage;

/// <summary>The width of a <see cref="UsageBucket"/>.</summary>
public enum UsageGranularity
{
    Hour = 1,
    Day = 2,
}

/// <summary>
/// The requests of one workspace, client or key, route and status in one hour or day: a count, a
/// latency sum (for the mean) and a <see cref="LatencyHistogram"/> (for p50/p95, which cannot be
/// summed). Rolled up from raw records by <see cref="UsageRollup"/>; days from hours.
/// </summary>
public sealed class UsageBucket
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid WorkspaceId { get; init; }

    public UsageGranularity Granularity { get; init; }

    /// <summary>The start of the hour or day (UTC).</summary>
    public DateTimeOffset Start { get; init; }

    /// <summary>The OAuth client_id, or "" for an API key (so the unique index sees one value, not NULLs).</summary>
    public string ClientId { get; init; } = "";

    /// <summary>The API key, or <see cref="Guid.Empty"/> for a token.</summary>
    public Guid KeyId { get; init; }

    public required string Route { get; init; }

    public int StatusCode { get; init; }

    public long Count { get; set; }

    public double LatencySumMs { get; set; }

    /// <summary>Counts per bin of <see cref="LatencyHistogram.UpperBoundsMs"/>, comma-separated.</summary>
    public string Histogram { get; set; } = "";
}

internal sealed class UsageBucketConfiguration : IEntityTypeConfiguration<UsageBucket>
{
    public void Configure(EntityTypeBuilder<UsageBucket> builder)
    {
        builder.ToTable("UsageBuckets");
        builder.HasKey(b => b.Id);
        builder.Property(b => b.ClientId).HasMaxLength(UsageRecord.ClientIdMaxLength);
        builder.Property(b => b.Route).HasMaxLength(UsageRecord.RouteMaxLength);
        builder.Property(b => b.Histogram).HasMaxLength(400);
        builder.HasIndex(b => new { b.WorkspaceId, b.Granularity, b.Start, b.ClientId, b.KeyId, b.Route, b.StatusCode }).IsUnique();
        builder.HasIndex(b => new { b.ClientId, b.Granularity, b.Start });
        // The rollup's watermark and the retention's deletes.
        builder.HasIndex(b => new { b.Granularity, b.Start });
    }
}
