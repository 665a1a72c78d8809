using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Portfolio.Importing;

/// <summary>Where a background job stands.</summary>
public enum JobStatus
{
    Queued,
    Running,
    Succeeded,
    Failed,
}

/// <summary>
/// A CSV import of transactions into one integration, run in the background. The uploaded file is
/// kept until the job ends so that a restart can resume it; nothing of a failed import is kept.
/// </summary>
public sealed class ImportJob
{
    public const int FileNameMaxLength = 200;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid IntegrationId { get; init; }
    public Guid? CreatedByUserId { get; init; }
    public required string FileName { get; init; }

    /// <summary>The uploaded CSV; cleared when the job ends.</summary>
    public byte[]? Content { get; set; }

    public JobStatus Status { get; set; } = JobStatus.Queued;
    public int TotalRows { get; set; }
    public int ProcessedRows { get; set; }
    public int ImportedCount { get; set; }
    public int DuplicateCount { get; set; }

    /// <summary>Row errors as JSON (<c>[{"line": 3, "message": "…"}]</c>), or a failure message.</summary>
    public string? Errors { get; set; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }

    public Integration Integration { get; init; } = null!;
}

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> builder)
    {
        builder.ToTable("ImportJobs");
        builder.HasIndex(j => new { j.WorkspaceId, j.CreatedAt });
        builder.HasIndex(j => j.Status);
        builder.Property(j => j.FileName).HasMaxLength(ImportJob.FileNameMaxLength);
        builder.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(j => j.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(j => j.Integration).WithMany().HasForeignKey(j => j.IntegrationId).OnDelete(DeleteBehavior.Cascade);
    }
}
