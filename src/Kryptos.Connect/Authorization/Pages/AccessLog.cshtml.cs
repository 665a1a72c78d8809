using Kryptos.Connect.Authorization.Grants;
using Kryptos.Connect.Core;
using Kryptos.Connect.Usage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Authorization.Pages;

/// <summary>
/// One connected app's latest calls on the user's data: when, which endpoint, and the answer. Only
/// the user's own grants; anyone else's grant id is a 404, like one that does not exist.
/// </summary>
[Authorize]
public sealed class AccessLogModel(GrantDirectory grants, UserActivity activity) : PageModel
{
    public ConnectedApp App { get; private set; } = null!;

    public IReadOnlyList<AccessLogEntry> Entries { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string grantId)
    {
        if (Principals.UserIdOf(User) is not { } userId)
        {
            return Challenge();
        }

        var app = (await grants.ListForUserAsync(userId, HttpContext.RequestAborted)).FirstOrDefault(a => a.GrantId == grantId);
        if (app is null)
        {
            return NotFound();
        }

        App = app;
        Entries = await activity.LogAsync(userId, grantId, HttpContext.RequestAborted);
        return Page();
    }
}
