using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Reports;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Reports;

/// <summary>
/// A generated report as a CSV attachment, for any member. A report of another workspace, or one not
/// ready yet, is a 404.
/// </summary>
public sealed class DownloadModel(ReportService reports) : WorkspacePageModel
{
    public async Task<IActionResult> OnGetAsync(Guid reportId)
    {
        var file = await reports.FindFileAsync(Workspace.Id, reportId, HttpContext.RequestAborted);
        if (file is null)
        {
            return NotFound();
        }

        // FileContentResult with a download name sends Content-Disposition: attachment.
        return File(file.Content, "text/csv; charset=utf-8", file.FileName);
    }
}
