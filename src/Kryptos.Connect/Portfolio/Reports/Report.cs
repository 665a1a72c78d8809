using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Importing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Portfolio.Reports;

/// <summary>The reports Kryptos generates.</summary>
public enum ReportKind
{
    /// <summary>Every disposal of a tax year with proceeds, cost basis, gain and term.</summary>
    CapitalGains,

    /// <summary>Every income event of a tax year at fair value.</summary>
    Income,

    /// <summary>Every transaction with its lines.</summary>
    TransactionHistory,
}

/// <summary>A CSV report of a workspace, generated in the background and then downloadable.</summary>
public sealed class Report
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid WorkspaceId { get; init; }
    public Guid? CreatedByUserId { get; init; }
    public ReportKind Kind { get; init; }

    /// <summary>The tax year, for capital gains and income; null for the full history.</summary>
    public int? Year { get; init; }

    public JobStatus Status { get; set; } = JobStatus.Queued;

    /// <summary>0 to 100.</summary>
    public int Progress { get; set; }

    public int RowCount { get; set; }

    /// <summary>The generated CSV (UTF-8), once <see cref="JobStatus.Succeeded"/>.</summary>
    public byte[]? Content { get; set; }

    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>What the report is called on pages and in the audit log, e.g. "Capital gains".</summary>
    public string Title => Describe(Kind);

    public static string Describe(ReportKind kind) => kind switch
    {
        ReportKind.CapitalGains => "Capital gains",
        ReportKind.Income => "Income",
        _ => "Transaction history",
    };

    /// <summary>The download's file name, e.g. <c>capital-gains-2025.csv</c>.</summary>
    public string FileName => Kind switch
    {
        ReportKind.CapitalGains => $"capital-gains-{Year}.csv",
        ReportKind.Income => $"income-{Year}.csv",
        _ => "transaction-history.csv",
    };
}

internal sealed class ReportConfiguration : IEntityTypeConfiguration<Report>
{
    public void Configure(EntityTypeBuilder<Report> builder)
    {
        builder.ToTable("Reports");
        builder.HasIndex(r => new { r.WorkspaceId, r.CreatedAt });
        builder.HasIndex(r => r.Status);
        builder.Property(r => r.Kind).HasConversion<string>().HasMaxLength(24);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        builder.Property(r => r.Error).HasMaxLength(500);
        builder.HasOne<Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
