using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Kryptos.Connect.Core.Workspaces;

public enum CostBasisMethod
{
    Fifo,
    Lifo,
    Hifo,
}

/// <summary>
/// The tenant. It holds a person's or team's portfolio data and its developer resources (OAuth
/// clients, API keys). Every account gets a personal workspace at sign-up.
/// </summary>
public sealed class Workspace
{
    public const int NameMaxLength = 80;
    public const int DescriptionMaxLength = 500;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public string? Description { get; set; }

    /// <summary>ISO 4217 code used for valuations and tax.</summary>
    public string BaseCurrency { get; set; } = "USD";

    public CostBasisMethod CostBasisMethod { get; set; } = CostBasisMethod.Fifo;

    /// <summary>
    /// Whether editors and viewers may share this workspace's data with third-party apps at consent.
    /// Owners and admins always may.
    /// </summary>
    public bool MembersMayConnectApps { get; set; }

    /// <summary>The workspace created with the account; it cannot be deleted.</summary>
    public bool IsPersonal { get; init; }

    /// <summary>Who created the workspace; for a personal workspace, the account it belongs to.</summary>
    public Guid? CreatedByUserId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<WorkspaceMember> Members { get; } = [];
}

public enum WorkspaceRole
{
    Owner,
    Admin,
    Editor,
    Viewer,
}

public sealed class WorkspaceMember
{
    public Guid WorkspaceId { get; init; }
    public Guid UserId { get; init; }
    public WorkspaceRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; init; }

    public Workspace Workspace { get; init; } = null!;
    public User User { get; init; } = null!;
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> builder)
    {
        builder.Property(w => w.Name).HasMaxLength(Workspace.NameMaxLength);
        builder.Property(w => w.Description).HasMaxLength(Workspace.DescriptionMaxLength);
        builder.Property(w => w.BaseCurrency).HasMaxLength(3);
        builder.Property(w => w.CostBasisMethod).HasConversion<string>().HasMaxLength(8);
    }
}

internal sealed class WorkspaceMemberConfiguration : IEntityTypeConfiguration<WorkspaceMember>
{
    public void Configure(EntityTypeBuilder<WorkspaceMember> builder)
    {
        builder.HasKey(m => new { m.WorkspaceId, m.UserId });
        builder.HasIndex(m => m.UserId);
        builder.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
        builder.HasOne(m => m.Workspace).WithMany(w => w.Members).HasForeignKey(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne(m => m.User).WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
