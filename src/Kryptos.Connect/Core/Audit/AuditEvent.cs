using Kryptos.Connect.Core.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Core.Audit;

/// <summary>Who did what in a workspace, when, and from which address.</summary>
public sealed class AuditEvent
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid? ActorUserId { get; init; }

    /// <summary>The actor's email at the time, kept when the account is later deleted.</summary>
    public required string ActorEmail { get; init; }

    /// <summary>A stable, dotted action name such as <c>member.role_changed</c>.</summary>
    public required string Action { get; init; }

    /// <summary>A human-readable sentence; never contains a secret.</summary>
    public required string Summary { get; init; }

    public string? IpAddress { get; init; }
    public DateTimeOffset OccurredAt { get; init; }
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.Property(e => e.ActorEmail).HasMaxLength(256);
        builder.Property(e => e.Action).HasMaxLength(64);
        builder.Property(e => e.Summary).HasMaxLength(1000);
        builder.Property(e => e.IpAddress).HasMaxLength(64);
        builder.HasIndex(e => new { e.WorkspaceId, e.OccurredAt });
        builder.HasOne<Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
