using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Portal.Workspaces;

/// <summary>
/// Base of every page under <c>/workspaces/{id}</c>. Before any handler runs it loads the workspace
/// through the caller's membership: a workspace the caller does not belong to (or that does not
/// exist) is a 404, never a 403 that would confirm it exists. Handlers then check an operation with
/// <see cref="Require"/>, the same check (<see cref="WorkspaceMembership.Can"/>) the services make.
/// </summary>
[Authorize]
public abstract class WorkspacePageModel : PageModel
{
    public WorkspaceMembership Membership { get; private set; } = null!;

    public Workspace Workspace => Membership.Workspace;

    /// <summary>The caller's workspaces, for the switcher.</summary>
    public IReadOnlyList<WorkspaceSummary> MyWorkspaces { get; private set; } = [];

    protected Memberships Memberships => HttpContext.RequestServices.GetRequiredService<Memberships>();

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var userId = Principals.UserIdOf(User);
        var membership = userId is { } id && Guid.TryParse(RouteData.Values["id"]?.ToString(), out var workspaceId)
            ? await Memberships.FindAsync(workspaceId, id, HttpContext.RequestAborted)
            : null;
        if (membership is null)
        {
            context.Result = NotFound();
            return;
        }

        Membership = membership;
        MyWorkspaces = await Memberships.ListForUserAsync(membership.UserId, HttpContext.RequestAborted);
        await next();
    }

    /// <summary>Whether the caller may perform <paramref name="operation"/> here (for rendering).</summary>
    public bool Can(WorkspaceOperation operation) => Membership.Can(operation);

    /// <summary>Null when allowed; otherwise the 403 page to return from the handler.</summary>
    protected IActionResult? Require(WorkspaceOperation operation) =>
        Can(operation) ? null : StatusCode(StatusCodes.Status403Forbidden);

    /// <summary>
    /// A refused change: 403 when the access check said no, otherwise the page again with the message
    /// (400).
    /// </summary>
    protected IActionResult Refused(WorkspaceResult result, string field = "")
    {
        if (result.IsDenied)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        ModelState.AddModelError(field, result.Error ?? "That change is not possible.");
        return Page().WithStatus(StatusCodes.Status400BadRequest);
    }
}
