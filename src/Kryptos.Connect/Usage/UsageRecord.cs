using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Usage;

/// <summary>
/// One metered Connect API request, as plain values (whoever meters passes them: Usage knows no
/// tokens or keys). Raw records feed the live part of the usage page, the per-user view ("what app X
/// read of my data", from <see cref="UserId"/> and <see cref="ClientId"/>) and the hourly rollup.
/// No foreign keys: a batch must never fail because a workspace or client was deleted meanwhile.
/// </summary>
public sealed class UsageRecord
{
    public const int ClientIdMaxLength = 100;
    public const int GrantIdMaxLength = 100;
    public const int MethodMaxLength = 16;
    public const int RouteMaxLength = 200;
    public const int ScopeMaxLength = 64;
    public const int ClientIpMaxLength = 45;

    public Guid Id { get; init; } = Guid.CreateVersion7();

    /// <summary>The workspace whose data was read: the token's workspace, or the key's.</summary>
    public Guid WorkspaceId { get; init; }

    /// <summary>The OAuth client_id of a token's caller; null for an API key.</summary>
    public string? ClientId { get; init; }

    /// <summary>The API key of the call; null for a token.</summary>
    public Guid? ApiKeyId { get; init; }

    public string? GrantId { get; init; }

    /// <summary>The token's subject: the person whose data the app read; null for an API key.</summary>
    public Guid? UserId { get; init; }

    public required string Method { get; init; }

    /// <summary>Method and route template, <c>GET /v1/transactions/{id}</c>, never a raw path with ids.</summary>
    public required string Route { get; init; }

    /// <summary>The scope the endpoint needs; null for a public or unknown endpoint.</summary>
    public string? Scope { get; init; }

    public int StatusCode { get; init; }

    public double LatencyMs { get; init; }

    public DateTimeOffset OccurredAt { get; init; }

    public string? ClientIp { get; init; }
}

internal sealed class UsageRecordConfiguration : IEntityTypeConfiguration<UsageRecord>
{
    public void Configure(EntityTypeBuilder<UsageRecord> builder)
    {
        builder.ToTable("UsageRecords");
        builder.HasKey(r => r.Id);
        builder.Property(r => r.ClientId).HasMaxLength(UsageRecord.ClientIdMaxLength);
        builder.Property(r => r.GrantId).HasMaxLength(UsageRecord.GrantIdMaxLength);
        builder.Property(r => r.Method).HasMaxLength(UsageRecord.MethodMaxLength);
        builder.Property(r => r.Route).HasMaxLength(UsageRecord.RouteMaxLength);
        builder.Property(r => r.Scope).HasMaxLength(UsageRecord.ScopeMaxLength);
        builder.Property(r => r.ClientIp).HasMaxLength(UsageRecord.ClientIpMaxLength);
        // The workspace's page, the per-user view, the keys' pages, the clients' pages, and the rollup's range scans.
        builder.HasIndex(r => new { r.WorkspaceId, r.OccurredAt });
        builder.HasIndex(r => new { r.UserId, r.ClientId, r.OccurredAt });
        builder.HasIndex(r => new { r.ApiKeyId, r.OccurredAt });
        builder.HasIndex(r => new { r.ClientId, r.OccurredAt });
        builder.HasIndex(r => r.OccurredAt);
    }
}
