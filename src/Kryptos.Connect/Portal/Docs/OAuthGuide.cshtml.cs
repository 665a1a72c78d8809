using System.Text.Json;
using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Portal.Docs;

/// <summary>
/// The OAuth 2.0 guide. Signed-in developers see every example filled in with one of their own
/// clients (chosen with ?client=), everyone else sees placeholders.
/// </summary>
public sealed class OAuthGuideModel(KryptosDbContext db, IOptions<HostingOptions> hosting) : PageModel
{
    public string Issuer { get; private set; } = "";

    public string ClientId { get; private set; } = "YOUR_CLIENT_ID";

    public string RedirectUri { get; private set; } = "https://app.example.com/callback";

    public string ClientName { get; private set; } = "";

    public bool IsConfidential { get; private set; } = true;

    public IReadOnlyList<(string ClientId, string Name)> MyClients { get; private set; } = [];

    public async Task OnGetAsync(string? client)
    {
        // The same issuer the authorization server announces (IssuerUnderOidc): exactly {origin}/oidc.
        var origin = string.IsNullOrEmpty(hosting.Value.PublicOrigin) ? $"{Request.Scheme}://{Request.Host}{Request.PathBase}" : hosting.Value.PublicOrigin;
        Issuer = origin.TrimEnd('/') + "/oidc";
        if (Principals.UserIdOf(User) is not { } userId)
        {
            return;
        }

        // Only clients of workspaces the developer belongs to.
        var mine = await db.OAuthClients
            .Where(c => db.WorkspaceMembers.Any(m => m.UserId == userId && m.WorkspaceId == c.WorkspaceId))
            .OrderBy(c => c.DisplayName)
            .Select(c => new { c.ClientId, c.DisplayName, c.RedirectUris, c.ClientType })
            .ToListAsync(HttpContext.RequestAborted);
        MyClients = [.. mine.Select(c => (c.ClientId!, c.DisplayName ?? c.ClientId!))];
        var chosen = mine.FirstOrDefault(c => c.ClientId == client) ?? mine.FirstOrDefault();
        if (chosen is null)
        {
            return;
        }

        ClientId = chosen.ClientId!;
        ClientName = chosen.DisplayName ?? "";
        IsConfidential = chosen.ClientType == OpenIddict.Abstractions.OpenIddictConstants.ClientTypes.Confidential;
        var redirects = string.IsNullOrEmpty(chosen.RedirectUris) ? [] : JsonSerializer.Deserialize<List<string>>(chosen.RedirectUris) ?? [];
        if (redirects.Count > 0)
        {
            RedirectUri = redirects[0];
        }
    }

    public string DefaultScopes => string.Join(" ", KryptosScopes.Defaults);
}
