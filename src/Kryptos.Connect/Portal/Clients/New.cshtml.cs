using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Clients;

public sealed class NewModel(ClientService clients, UserManager<User> users) : WorkspacePageModel
{
    [BindProperty]
    public ClientForm Form { get; set; } = new();

    /// <summary>True when the caller must verify their email before creating a client.</summary>
    public bool NeedsVerification { get; private set; }

    public async Task<IActionResult> OnGetAsync() => await CheckAsync() is { } refused ? refused : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        if (await CheckAsync() is { } refused)
        {
            return refused;
        }

        var (registration, errors) = Form.ToRegistration();
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError($"Form.{field}", message);
        }

        if (!ModelState.IsValid || registration is null)
        {
            return Page();
        }

        var user = await users.GetUserAsync(User);
        var (result, client, secret) = await clients.CreateAsync(Membership, user!, registration, HttpContext.RequestAborted);
        if (client is null)
        {
            return Refused(result);
        }

        // The secret travels once, in the encrypted TempData cookie, to the page that shows it.
        TempData[DetailsModel.NewSecretKey] = secret?.Value;
        TempData[DetailsModel.JustCreatedKey] = true;
        return Redirect($"/workspaces/{Workspace.Id}/clients/{client.ClientId}");
    }

    private async Task<IActionResult?> CheckAsync()
    {
        if (Require(WorkspaceOperation.ManageClients) is { } denied)
        {
            return denied;
        }

        var user = await users.GetUserAsync(User);
        if (user?.EmailConfirmed != true)
        {
            NeedsVerification = true;
            return Page().WithStatus(StatusCodes.Status403Forbidden);
        }

        return null;
    }
}
