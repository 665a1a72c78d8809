using Kryptos.Connect.ConnectApi.OpenApi;
using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Reports;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.ConnectApi.Reports;

/// <param name="Id">The report's id.</param>
/// <param name="Kind"><c>capital_gains</c>, <c>income</c> or <c>transaction_history</c>.</param>
/// <param name="Year">The tax year, for capital gains and income; null for the history.</param>
/// <param name="Status"><c>queued</c>, <c>running</c>, <c>succeeded</c> or <c>failed</c>.</param>
/// <param name="Progress">From 0 to 100.</param>
/// <param name="RowCount">Rows in the CSV, once it succeeded.</param>
/// <param name="FileName">The download's file name.</param>
/// <param name="CreatedAt">When it was requested (UTC).</param>
/// <param name="CompletedAt">When it finished (UTC), or null.</param>
/// <param name="DownloadUrl">Where to download the CSV once it succeeded (same token, same scope); otherwise null.</param>
public sealed record ReportDto(
    Guid Id,
    string Kind,
    int? Year,
    string Status,
    int Progress,
    int RowCount,
    string FileName,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? DownloadUrl);

/// <summary>
/// <c>GET /v1/reports</c>, <c>GET /v1/reports/{id}</c> and <c>GET /v1/reports/{id}/download</c>
/// (<c>reports:read</c>): the workspace's generated reports and exports, newest first.
/// </summary>
public static class ReportEndpoints
{
    public static RouteGroupBuilder MapReports(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var group = v1.MapGroup("/reports").WithTags("Reports").RequireScope(KryptosScopes.ReportsRead);
        group.MapGet("", ListReportsAsync)
            .WithPaging()
            .WithName("ListReports")
            .WithExample(PortfolioExamples.Reports)
            .WithSummary("Generated reports")
            .WithDescription("Capital-gains, income and transaction-history reports the workspace's members generated, newest first, with their status and progress.");
        group.MapGet("/{id}", GetReportAsync)
            .WithName("GetReport")
            .WithExample(PortfolioExamples.OneReport)
            .WithSummary("One report")
            .WithDescription("A report's status and progress; `downloadUrl` is set once it succeeded.");
        group.MapGet("/{id}/download", DownloadReportAsync)
            .WithName("DownloadReport")
            .WithSummary("Download a report as CSV")
            .WithDescription("The report's CSV (UTF-8, RFC 4180). A report that has not succeeded yet is a 409 problem with code `report_not_ready`.")
            .WithExample("disposed_at,acquired_at,asset,quantity,proceeds,cost_basis,gain,term,currency,account,transaction_id\r\n"
                + "2025-01-20T12:00:00Z,2024-01-15T12:00:00Z,BTC,1,59940,30030,29910,long,USD,Kraken,0197f2a4-6c1e-7d3a-9b52-3f1c2e8d4c04\r\n");
        return v1;
    }

    public static async Task<Ok<ListEnvelope<ReportDto>>> ListReportsAsync(
        CurrentWorkspace current, PageRequest page, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(db);
        var query = db.Reports.AsNoTracking().Where(r => r.WorkspaceId == current.WorkspaceId);
        var total = await query.CountAsync(cancellationToken);
        var reports = await page.Apply(query.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id))
            .Select(Summary)
            .ToListAsync(cancellationToken);
        return TypedResults.Ok(ListEnvelope.Create([.. reports.Select(ToDto)], page, total));
    }

    public static async Task<Results<Ok<DataEnvelope<ReportDto>>, ProblemHttpResult>> GetReportAsync(
        CurrentWorkspace current, string id, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(db);
        var report = Guid.TryParseExact(id, "D", out var reportId)
            ? await db.Reports.AsNoTracking().Where(r => r.Id == reportId && r.WorkspaceId == current.WorkspaceId).Select(Summary).SingleOrDefaultAsync(cancellationToken)
            : null;
        return report is null ? NotFound() : TypedResults.Ok(new DataEnvelope<ReportDto>(ToDto(report)));
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadReportAsync(
        CurrentWorkspace current, string id, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(db);
        if (!Guid.TryParseExact(id, "D", out var reportId))
        {
            return NotFound();
        }

        var report = await db.Reports.AsNoTracking()
            .Where(r => r.Id == reportId && r.WorkspaceId == current.WorkspaceId)
            .Select(r => new { r.Kind, r.Year, r.Status, r.Content })
            .SingleOrDefaultAsync(cancellationToken);
        if (report is null)
        {
            return NotFound();
        }

        if (report.Status != JobStatus.Succeeded || report.Content is null)
        {
            return ApiProblems.Create(
                StatusCodes.Status409Conflict,
                "report_not_ready",
                "Report not ready",
                "The report is " + ApiValues.Name(report.Status) + "; download it once its status is succeeded.");
        }

        var fileName = new Report { Kind = report.Kind, Year = report.Year }.FileName;
        return TypedResults.File(report.Content, "text/csv; charset=utf-8", fileName);
    }

    private static readonly System.Linq.Expressions.Expression<Func<Report, ReportSummary>> Summary = r =>
        new ReportSummary(r.Id, r.Kind, r.Year, r.Status, r.Progress, r.RowCount, r.CreatedAt, r.CompletedAt);

    private static ReportDto ToDto(ReportSummary r) => new(
        r.Id,
        ApiValues.Name(r.Kind),
        r.Year,
        ApiValues.Name(r.Status),
        r.Progress,
        r.RowCount,
        new Report { Kind = r.Kind, Year = r.Year }.FileName,
        r.CreatedAt,
        r.CompletedAt,
        r.Status == JobStatus.Succeeded ? ApiValues.Invariant($"{ConnectApiExtensions.BasePath}/reports/{r.Id}/download") : null);

    private static ProblemHttpResult NotFound() => ApiProblems.NotFound("There is no report with this id in the workspace.");

    private sealed record ReportSummary(Guid Id, ReportKind Kind, int? Year, JobStatus Status, int Progress, int RowCount, DateTimeOffset CreatedAt, DateTimeOffset? CompletedAt);
}
