using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Portal.Workspaces;

[Authorize]
public sealed class IndexModel(Memberships workspaces, UserManager<User> users) : PageModel
{
    public IReadOnlyList<WorkspaceSummary> Items { get; private set; } = [];

    public bool EmailConfirmed { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var user = await users.GetUserAsync(User);
        if (user is null)
        {
            return Challenge();
        }

        EmailConfirmed = user.EmailConfirmed;
        Items = await workspaces.ListForUserAsync(user.Id, HttpContext.RequestAborted);
        return Page();
    }
}
