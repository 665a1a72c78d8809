using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Core;
using Kryptos.Connect.Portal.Members;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Portal.Workspaces;

public sealed class DashboardModel(UserManager<User> users, ClientService clients, InvitationService invitations, ApiKeyService apiKeys) : WorkspacePageModel
{
    public IReadOnlyList<ClientSummary> Clients { get; private set; } = [];

    public int MemberCount { get; private set; }

    public int PendingInvitations { get; private set; }

    public bool EmailConfirmed { get; private set; }

    /// <summary>Keys neither revoked nor expired.</summary>
    public int LiveApiKeys { get; private set; }

    public async Task OnGetAsync()
    {
        MemberCount = (await Memberships.ListMembersAsync(Workspace.Id, HttpContext.RequestAborted)).Count;
        PendingInvitations = (await invitations.ListPendingInvitationsAsync(Workspace.Id, HttpContext.RequestAborted)).Count;
        EmailConfirmed = (await users.GetUserAsync(User))?.EmailConfirmed == true;
        Clients = await clients.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        LiveApiKeys = await apiKeys.CountLiveAsync(Workspace.Id, HttpContext.RequestAborted);
    }
}
