using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Core;
using Kryptos.Connect.Portal.Members;
using Kryptos.Connect.Portal.Usage;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Portal.Workspaces;

public sealed class DashboardModel(UserManager<User> users, ClientService clients, InvitationService invitations, ApiKeyService apiKeys, WorkspaceUsage usage) : WorkspacePageModel
{
    public IReadOnlyList<ClientSummary> Clients { get; private set; } = [];

    public int MemberCount { get; private set; }

    public int PendingInvitations { get; private set; }

    public bool EmailConfirmed { get; private set; }

    /// <summary>Keys neither revoked nor expired.</summary>
    public int LiveApiKeys { get; private set; }
    /// <summary>The last 24 hours of calls made with the workspace's clients and keys.</summary>
    public UsageTotals Usage { get; private set; } = UsageTotals.Of([]);

    public async Task OnGetAsync()
    {
        MemberCount = (await Memberships.ListMembersAsync(Workspace.Id, HttpContext.RequestAborted)).Count;
        PendingInvitations = (await invitations.ListPendingInvitationsAsync(Workspace.Id, HttpContext.RequestAborted)).Count;
        EmailConfirmed = (await users.GetUserAsync(User))?.EmailConfirmed == true;
        Clients = await clients.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        LiveApiKeys = await apiKeys.CountLiveAsync(Workspace.Id, HttpContext.RequestAborted);
        Usage = (await usage.ReadAsync(Workspace.Id, UsageRange.Day, cancellationToken: HttpContext.RequestAborted)).Totals;
    }
}
