using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Importing;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Reports;

/// <summary>A report as listed: everything but its content.</summary>
public sealed record ReportSummary(
    Guid Id, ReportKind Kind, int? Year, JobStatus Status, int Progress, int RowCount, string FileName, string? Error,
    DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);

/// <summary>A generated report's file.</summary>
public sealed record ReportFile(string FileName, byte[] Content);

/// <summary>
/// Queues, lists and hands out a workspace's reports. Queuing only records the request and wakes the
/// worker (<see cref="ReportWorker"/>): a request never waits for a report to be generated.
/// </summary>
public sealed class ReportService(KryptosDbContext db, ReportChannel queue, AuditLog audit, TimeProvider time)
{
    /// <summary>The first year a report can be for (the first Bitcoin block).</summary>
    public const int FirstYear = 2009;

    /// <summary>Reports of a workspace waiting or running at once; more are refused until these finish.</summary>
    public const int MaxPending = 5;

    public async Task<(WorkspaceResult Result, Guid? ReportId)> QueueAsync(WorkspaceMembership membership, ReportKind kind, int? year, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return (WorkspaceResult.Denied("Only owners, admins and editors can generate reports."), null);
        }

        if (!Enum.IsDefined(kind))
        {
            return (WorkspaceResult.Fail("Choose a report."), null);
        }

        var thisYear = time.GetUtcNow().UtcDateTime.Year;
        if (kind == ReportKind.TransactionHistory)
        {
            year = null;
        }
        else if (year is not { } y || y < FirstYear || y > thisYear)
        {
            return (WorkspaceResult.Fail($"Choose a tax year from {FirstYear} to {thisYear}."), null);
        }

        var workspaceId = membership.Workspace.Id;
        var pending = await db.Reports.CountAsync(r => r.WorkspaceId == workspaceId && (r.Status == JobStatus.Queued || r.Status == JobStatus.Running), cancellationToken);
        if (pending >= MaxPending)
        {
            return (WorkspaceResult.Fail($"{pending} reports are still being generated; wait for them to finish."), null);
        }

        var report = new Report
        {
            WorkspaceId = workspaceId,
            CreatedByUserId = membership.UserId,
            Kind = kind,
            Year = year,
            CreatedAt = time.GetUtcNow(),
        };
        db.Reports.Add(report);
        audit.Record(workspaceId, AuditActions.ReportRequested, year is { } reportYear ? $"Requested the {report.Title} report for {reportYear}" : $"Requested the {report.Title} report");
        await db.SaveChangesAsync(cancellationToken);
        queue.Enqueue(report.Id);
        return (WorkspaceResult.Ok, report.Id);
    }

    /// <summary>The workspace's latest reports, newest first, without their content.</summary>
    public async Task<List<ReportSummary>> ListAsync(Guid workspaceId, int take = 50, CancellationToken cancellationToken = default)
    {
        var rows = await db.Reports.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId)
            .OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id)
            .Take(take)
            .Select(r => new { r.Id, r.Kind, r.Year, r.Status, r.Progress, r.RowCount, r.Error, r.CreatedAt, r.CompletedAt })
            .ToListAsync(cancellationToken);
        return rows.Select(r => new ReportSummary(
            r.Id, r.Kind, r.Year, r.Status, r.Progress, r.RowCount, new Report { Kind = r.Kind, Year = r.Year }.FileName, r.Error, r.CreatedAt, r.CompletedAt)).ToList();
    }

    /// <summary>The years (UTC) of the workspace's first and last transactions; nulls without any.</summary>
    public async Task<(int? First, int? Last)> YearsWithTransactionsAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var transactions = db.Transactions.Where(t => t.WorkspaceId == workspaceId);
        var first = await transactions.OrderBy(t => t.OccurredAt).Select(t => (DateTimeOffset?)t.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        var last = await transactions.OrderByDescending(t => t.OccurredAt).Select(t => (DateTimeOffset?)t.OccurredAt).FirstOrDefaultAsync(cancellationToken);
        return (first?.UtcDateTime.Year, last?.UtcDateTime.Year);
    }

    /// <summary>A generated report of the workspace, or null (another workspace's, unknown, or not ready).</summary>
    public async Task<ReportFile?> FindFileAsync(Guid workspaceId, Guid reportId, CancellationToken cancellationToken = default)
    {
        var report = await db.Reports.AsNoTracking()
            .Where(r => r.WorkspaceId == workspaceId && r.Id == reportId && r.Status == JobStatus.Succeeded)
            .Select(r => new { r.Kind, r.Year, r.Content })
            .SingleOrDefaultAsync(cancellationToken);
        return report?.Content is { } content ? new ReportFile(new Report { Kind = report.Kind, Year = report.Year }.FileName, content) : null;
    }
}
