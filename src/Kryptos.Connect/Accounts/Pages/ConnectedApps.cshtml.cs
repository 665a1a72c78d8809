using System.Text.Json;
using Kryptos.Connect.Authorization;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Accounts.Pages;

/// <summary>The apps the user let into one of their workspaces, and the way to take that back.</summary>
[Authorize]
public sealed class ConnectedAppsModel(UserManager<User> users, KryptosDbContext db, ConsentService consent) : PageModel
{
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    public async Task OnGetAsync() => Apps = await LoadAsync(users.GetUserId(User)!);

    public async Task<IActionResult> OnPostRevokeAsync(string grantId)
    {
        var subject = users.GetUserId(User)!;
        // Only the user's own grants: anything else is "not found", like a grant that does not exist.
        var grant = await db.OAuthGrants.SingleOrDefaultAsync(g => g.Id == grantId && g.Subject == subject && g.Status == Statuses.Valid, HttpContext.RequestAborted);
        if (grant is null)
        {
            return NotFound();
        }

        await consent.RevokeAsync(grant, HttpContext.RequestAborted);
        TempData["Status"] = "Access revoked. The app's tokens stopped working.";
        return RedirectToPage();
    }

    private async Task<List<ConnectedApp>> LoadAsync(string subject)
    {
        var rows = await db.OAuthGrants
            .Where(g => g.Subject == subject && g.Status == Statuses.Valid && g.WorkspaceId != null)
            .Join(db.Workspaces, g => g.WorkspaceId, w => w.Id, (g, w) => new { Grant = g, Workspace = w.Name, Client = g.Application })
            .Select(r => new
            {
                r.Grant.Id,
                r.Grant.Scopes,
                r.Grant.CreationDate,
                r.Grant.LastUsedAt,
                r.Workspace,
                AppName = r.Client!.DisplayName,
                Publisher = db.Workspaces.Where(p => p.Id == r.Client.WorkspaceId).Select(p => p.Name).FirstOrDefault(),
            })
            .ToListAsync(HttpContext.RequestAborted);
        return [.. rows
            .Select(r => new ConnectedApp(r.Id!, r.AppName ?? "(unnamed app)", r.Publisher ?? "", r.Workspace,
                string.IsNullOrEmpty(r.Scopes) ? [] : JsonSerializer.Deserialize<List<string>>(r.Scopes) ?? [],
                r.CreationDate, r.LastUsedAt))
            .OrderByDescending(a => a.LastUsedAt ?? a.GrantedAt)];
    }

    public sealed record ConnectedApp(string GrantId, string AppName, string Publisher, string Workspace, IReadOnlyList<string> Scopes, DateTimeOffset? GrantedAt, DateTimeOffset? LastUsedAt);
}
