using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Reports;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Reports;

/// <summary>
/// The workspace's CSV reports: every member sees them and downloads them; owners, admins and editors
/// ask for new ones, which the background worker generates while the page refreshes itself.
/// </summary>
public sealed class ReportsModel(ReportService reports, TimeProvider time) : WorkspacePageModel
{
    /// <summary>Seconds between refreshes while a report is queued or running.</summary>
    public const int RefreshSeconds = 3;

    [BindProperty]
    public ReportInput Input { get; set; } = new();

    public IReadOnlyList<ReportSummary> Reports { get; private set; } = [];

    /// <summary>The tax years to offer: from the first transaction's to the last one's, newest first; or this year.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    public bool HasPending => Reports.Any(r => r.Status is JobStatus.Queued or JobStatus.Running);

    [TempData]
    public string? Message { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await LoadAsync();
        Input.Year ??= Years[0];
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        await LoadAsync();
        if (!ModelState.IsValid)
        {
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var (result, _) = await reports.QueueAsync(Membership, Input.Kind!.Value, Input.Year, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result, "Input.Year");
        }

        Message = "Report requested. It appears below when it is ready.";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        Reports = await reports.ListAsync(Workspace.Id, cancellationToken: HttpContext.RequestAborted);
        var thisYear = time.GetUtcNow().UtcDateTime.Year;
        var (first, last) = await reports.YearsWithTransactionsAsync(Workspace.Id, HttpContext.RequestAborted);
        first = Math.Clamp(first ?? thisYear, ReportService.FirstYear, thisYear);
        last = Math.Clamp(last ?? thisYear, first.Value, thisYear);
        Years = Enumerable.Range(first.Value, last.Value - first.Value + 1).Reverse().ToList();
        if (HasPending)
        {
            // Progress without JavaScript: the browser reloads the page until every report is done.
            Response.Headers["Refresh"] = RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    public static string Describe(ReportKind kind) => Report.Describe(kind);
}

public sealed class ReportInput
{
    [Required(ErrorMessage = "Choose a report.")]
    [Display(Name = "Report")]
    public ReportKind? Kind { get; set; }

    [Display(Name = "Tax year")]
    public int? Year { get; set; }
}
