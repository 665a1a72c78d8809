using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Usage;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Kryptos.Connect.Portal.ApiKeys;

/// <summary>One key: its details, the key itself once right after creation, and revocation.</summary>
public sealed class DetailsModel(ApiKeyService keys, UserManager<User> users, WorkspaceUsage usage, TimeProvider time) : WorkspacePageModel
{
    public const string NewKeyKey = "ApiKeys.NewKey";

    public ApiKey Key { get; private set; } = null!;

    /// <summary>The key created by the previous request, shown on this page once.</summary>
    public string? NewKey { get; private set; }

    [BindProperty]
    public bool ConfirmRevoke { get; set; }

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public override async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(next);
        await base.OnPageHandlerExecutionAsync(context, async () =>
        {
            // Another workspace's key is a 404, like a key that does not exist.
            var key = Guid.TryParse(RouteData.Values["keyId"]?.ToString(), out var keyId)
                ? await keys.FindAsync(Workspace.Id, keyId, HttpContext.RequestAborted)
                : null;
            if (key is null)
            {
                context.Result = NotFound();
                return null!;
            }

            Key = key;
            return await next();
        });
    }

    /// <summary>The key's own calls over the last 7 days.</summary>
    public WorkspaceUsageData? Usage { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Usage = await usage.ReadAsync(Workspace.Id, UsageRange.Week, keyId: Key.Id, cancellationToken: HttpContext.RequestAborted);
        NewKey = TempData[NewKeyKey] as string;
        if (NewKey is not null)
        {
            // Never keep the page that shows a key in any cache.
            Response.Headers.CacheControl = "no-store";
        }

        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync()
    {
        if (Require(WorkspaceOperation.ManageApiKeys) is { } denied)
        {
            return denied;
        }

        if (!ConfirmRevoke)
        {
            ModelState.AddModelError(nameof(ConfirmRevoke), "Tick the box to confirm: servers using this key lose access at once.");
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        var result = await keys.RevokeAsync(Membership, user, Key, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = "API key revoked.";
        return RedirectToPage();
    }
}
