using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Portal.Workspaces;

/// <summary>
/// Base of every page under <c>/workspaces/{id}</c>. Before any handler runs it loads the workspace
/// through the caller's membership: a workspace the caller does not belong to (or that does not
/// exist) is a 404, never a 403 that would confirm it exists. Handlers then check an operation.
/// </summary>
[Authorize]
public abstract class WorkspacePageModel : PageModel
{
    public WorkspaceMembership Membership { get; private set; } = null!;

    public Workspace Workspace => Membership.Workspace;

    /// <summary>The caller's workspaces, for the switcher.</summary>
    public IReadOnlyList<WorkspaceSummary> MyWorkspaces { get; private set; } = [];

    protected WorkspaceService Workspaces => HttpContext.RequestServices.GetRequiredService<WorkspaceService>();

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var userId = WorkspaceService.UserIdOf(User);
        var membership = userId is { } id && Guid.TryParse(RouteData.Values["id"]?.ToString(), out var workspaceId)
            ? await Workspaces.FindMembershipAsync(workspaceId, id, HttpContext.RequestAborted)
            : null;
        if (membership is null)
        {
            context.Result = NotFound();
            return;
        }

        Membership = membership;
        MyWorkspaces = await Workspaces.ListForUserAsync(membership.UserId, HttpContext.RequestAborted);
        await next();
    }

    /// <summary>Whether the caller may perform <paramref name="operation"/> here (for rendering).</summary>
    public bool Can(OperationAuthorizationRequirement operation) => Membership.Can(operation);

    /// <summary>Null when allowed; otherwise a 403 result to return from the handler.</summary>
    protected async Task<IActionResult?> AuthorizeAsync(OperationAuthorizationRequirement operation)
    {
        var authorization = HttpContext.RequestServices.GetRequiredService<IAuthorizationService>();
        var result = await authorization.AuthorizeAsync(User, Membership, operation);
        return result.Succeeded ? null : StatusCode(StatusCodes.Status403Forbidden);
    }
}
