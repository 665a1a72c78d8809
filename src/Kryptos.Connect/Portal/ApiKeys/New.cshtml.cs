using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.ApiKeys;

public sealed class NewModel(ApiKeyService keys, UserManager<User> users) : WorkspacePageModel
{
    [BindProperty]
    public ApiKeyForm Form { get; set; } = new();

    /// <summary>True when the caller must verify their email before creating a key.</summary>
    public bool NeedsVerification { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Form = ApiKeyForm.WithDefaults();
        return await CheckAsync() is { } refused ? refused : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await CheckAsync() is { } refused)
        {
            return refused;
        }

        // Binding errors (a scope list that is not a list …) are reported by the form's own checks.
        ModelState.Clear();
        var (request, errors) = Form.ToRequest();
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError($"Form.{field}", message);
        }

        if (request is null)
        {
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var user = await users.GetUserAsync(User);
        var (result, key, secret) = await keys.CreateAsync(Membership, user!, request, HttpContext.RequestAborted);
        if (key is null)
        {
            return Refused(result);
        }

        // The key travels once, in the encrypted TempData cookie, to the page that shows it.
        TempData[DetailsModel.NewKeyKey] = secret;
        return Redirect($"/workspaces/{Workspace.Id}/keys/{key.Id}");
    }

    private async Task<IActionResult?> CheckAsync()
    {
        if (Require(WorkspaceOperation.ManageApiKeys) is { } denied)
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
