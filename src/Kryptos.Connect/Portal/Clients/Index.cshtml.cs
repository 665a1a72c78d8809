using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Portal.Clients;

public sealed class IndexModel(ClientService clients, UserManager<User> users) : WorkspacePageModel
{
    public IReadOnlyList<ClientSummary> Clients { get; private set; } = [];

    public bool EmailConfirmed { get; private set; }

    public bool CanCreate => EmailConfirmed && Can(WorkspaceOperation.ManageClients);

    public async Task OnGetAsync()
    {
        Clients = await clients.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        EmailConfirmed = (await users.GetUserAsync(User))?.EmailConfirmed == true;
    }
}
