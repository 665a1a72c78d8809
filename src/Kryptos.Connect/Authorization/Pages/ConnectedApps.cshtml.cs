using Kryptos.Connect.Authorization.Grants;
using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Authorization.Pages;

/// <summary>The apps the user let into one of their workspaces, and the way to take that back.</summary>
[Authorize]
public sealed class ConnectedAppsModel(GrantDirectory grants, IGrantRevocation revocation) : PageModel
{
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (Principals.UserIdOf(User) is not { } userId)
        {
            return Challenge();
        }

        Apps = await grants.ListForUserAsync(userId, HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string grantId)
    {
        // Only the user's own grants: anything else is "not found", like a grant that does not exist.
        if (Principals.UserIdOf(User) is not { } userId || !await revocation.RevokeAsync(userId, grantId, HttpContext.RequestAborted))
        {
            return NotFound();
        }

        TempData["Status"] = "Access revoked. The app's tokens stopped working.";
        return RedirectToPage();
    }
}
