using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Reports;

/// <summary>
/// Generates queued reports one at a time. At start it queues again every report left Queued or
/// Running by a previous run (a restart or a crash), so none is stuck; a report is generated from the
/// start again, which is safe because generating only reads.
/// </summary>
internal sealed partial class ReportWorker(IServiceScopeFactory scopes, ReportChannel queue, ILogger<ReportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ResumeAsync(stoppingToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // The worker still serves new requests; what was left over waits for the next start.
            LogResumeFailed(logger, exception);
        }

        await foreach (var reportId in queue.ReadAllAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ReportGenerator>().GenerateAsync(reportId, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // The workspace went away while its report was generated, or the database failed: the
                // worker goes on with the next report rather than stopping the host.
                LogFailed(logger, reportId, exception);
            }
        }
    }

    private async Task ResumeAsync(CancellationToken stoppingToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var unfinished = await db.Reports
            .Where(r => r.Status == JobStatus.Queued || r.Status == JobStatus.Running)
            .OrderBy(r => r.CreatedAt)
            .Select(r => r.Id)
            .ToListAsync(stoppingToken);
        foreach (var reportId in unfinished)
        {
            queue.Enqueue(reportId);
        }
    }

    [LoggerMessage(LogLevel.Error, "Report {ReportId} could not be generated.")]
    private static partial void LogFailed(ILogger logger, Guid reportId, Exception exception);

    [LoggerMessage(LogLevel.Error, "Reports left unfinished by the previous run could not be queued again.")]
    private static partial void LogResumeFailed(ILogger logger, Exception exception);
}

/// <summary>Generates one report: its rows from the workspace's snapshot or transactions, then the CSV.</summary>
internal sealed partial class ReportGenerator(KryptosDbContext db, IPortfolioViews views, TimeProvider time, ILogger<ReportGenerator> logger)
{
    public async Task GenerateAsync(Guid reportId, CancellationToken cancellationToken)
    {
        var report = await db.Reports.SingleOrDefaultAsync(r => r.Id == reportId, cancellationToken);
        if (report is null || report.Status is JobStatus.Succeeded or JobStatus.Failed)
        {
            return;
        }

        report.Status = JobStatus.Running;
        report.Progress = 0;
        await db.SaveChangesAsync(cancellationToken);
        try
        {
            var rows = await RowsAsync(report, cancellationToken);
            report.Progress = 10;
            await db.SaveChangesAsync(cancellationToken);

            // Progress from 10 to 100 as rows are written, saved about ten times at most.
            var header = report.Kind switch
            {
                ReportKind.CapitalGains => ReportRows.CapitalGainsHeader,
                ReportKind.Income => ReportRows.IncomeHeader,
                _ => ReportRows.TransactionHistoryHeader,
            };
            var step = Math.Max(1_000, rows.Count / 10);
            report.Content = await ReportCsv.WriteAsync(header, rows, async written =>
            {
                report.Progress = 10 + (90 * written / Math.Max(1, rows.Count));
                await db.SaveChangesAsync(cancellationToken);
            }, step);
            report.RowCount = rows.Count;
            report.Progress = 100;
            report.Status = JobStatus.Succeeded;
        }
        catch (Exception exception) when (exception is not OperationCanceledException and not DbUpdateException)
        {
            LogFailed(logger, report.Id, exception);
            report.Status = JobStatus.Failed;
            report.Error = "The report could not be generated. Try again; if it fails again, tell us.";
        }

        report.CompletedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private async Task<List<IReadOnlyList<object?>>> RowsAsync(Report report, CancellationToken cancellationToken)
    {
        var accounts = await db.Integrations.AsNoTracking()
            .Where(i => i.WorkspaceId == report.WorkspaceId)
            .ToDictionaryAsync(i => i.Id, i => i.Name, cancellationToken);
        if (report.Kind == ReportKind.TransactionHistory)
        {
            var transactions = await db.Transactions.AsNoTracking()
                .Where(t => t.WorkspaceId == report.WorkspaceId)
                .Include(t => t.Lines)
                .AsSplitQuery()
                .ToListAsync(cancellationToken);
            return ReportRows.TransactionHistory(transactions, accounts);
        }

        var snapshot = await views.GetAsync(report.WorkspaceId, cancellationToken);
        var year = report.Year ?? time.GetUtcNow().UtcDateTime.Year;
        return report.Kind == ReportKind.CapitalGains
            ? ReportRows.CapitalGains(snapshot, year, accounts)
            : ReportRows.Income(snapshot, year, accounts);
    }

    [LoggerMessage(LogLevel.Error, "Report {ReportId} failed.")]
    private static partial void LogFailed(ILogger logger, Guid reportId, Exception exception);
}
