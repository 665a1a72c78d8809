using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Portal.ApiKeys;

/// <summary>The workspace's API keys: every member sees the list (never a key); owners and admins create and revoke.</summary>
public sealed class IndexModel(ApiKeyService keys, UserManager<User> users, TimeProvider time) : WorkspacePageModel
{
    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];

    public bool EmailConfirmed { get; private set; }

    public bool CanCreate => EmailConfirmed && Can(WorkspaceOperation.ManageApiKeys);

    public DateTimeOffset Now { get; } = time.GetUtcNow();

    public async Task OnGetAsync()
    {
        Keys = await keys.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        EmailConfirmed = (await users.GetUserAsync(User))?.EmailConfirmed == true;
    }

    public static string Status(ApiKey key, DateTimeOffset now) =>
        key.IsRevoked ? "revoked" : key.IsExpired(now) ? "expired" : "active";
}
