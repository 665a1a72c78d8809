using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Importing;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Import;

/// <summary>
/// One import: progress while it runs (the page asks the browser to reload itself every two seconds
/// with a <c>Refresh</c> header, so it works without JavaScript), then its final status, counts and
/// every row error with its line and column.
/// </summary>
public sealed class JobModel(ImportService imports) : WorkspacePageModel
{
    public const int RefreshSeconds = 2;

    public ImportJobView Job { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid jobId)
    {
        var job = await imports.FindAsync(Workspace.Id, jobId, HttpContext.RequestAborted);
        if (job is null)
        {
            return NotFound();
        }

        Job = job;
        if (!job.IsFinished)
        {
            Response.Headers["Refresh"] = RefreshSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Page();
    }
}
