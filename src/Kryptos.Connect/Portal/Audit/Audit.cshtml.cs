using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portal.Audit;

public sealed class AuditModel(KryptosDbContext db) : WorkspacePageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<AuditEvent> Events { get; private set; } = [];

    public int PageNumber { get; private set; } = 1;

    public bool HasMore { get; private set; }

    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int pageNumber = 1)
    {
        if (Require(WorkspaceOperation.ViewAuditLog) is { } denied)
        {
            return denied;
        }

        PageNumber = Math.Clamp(pageNumber, 1, 10_000);
        var events = await db.AuditEvents
            .Where(e => e.WorkspaceId == Workspace.Id)
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id)
            .Skip((PageNumber - 1) * PageSize)
            .Take(PageSize + 1)
            .ToListAsync(HttpContext.RequestAborted);
        HasMore = events.Count > PageSize;
        Events = events.Take(PageSize).ToList();
        return Page();
    }
}
