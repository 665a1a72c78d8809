using Kryptos.Connect.Authorization.Grants;
using Kryptos.Connect.Core.Workspaces;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Workspaces;

/// <summary>
/// The third-party apps that read this workspace's data: which app, who connected it and when, with
/// which scopes. Owners and admins see them all and can revoke any.
/// </summary>
public sealed class ConnectedAppsModel(GrantDirectory grants, IGrantRevocation revocation) : WorkspacePageModel
{
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (Require(WorkspaceOperation.ManageConnectedApps) is { } denied)
        {
            return denied;
        }

        Apps = await grants.ListForWorkspaceAsync(Workspace.Id, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string grantId)
    {
        if (Require(WorkspaceOperation.ManageConnectedApps) is { } denied)
        {
            return denied;
        }

        // A grant of another workspace is "not found", like one that does not exist.
        if (!await revocation.RevokeOnWorkspaceAsync(Workspace.Id, grantId, HttpContext.RequestAborted))
        {
            return NotFound();
        }

        TempData["Status"] = "Access revoked. The app's tokens stopped working.";
        return RedirectToPage();
    }
}
