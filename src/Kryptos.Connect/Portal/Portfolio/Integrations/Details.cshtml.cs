using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Integrations;

/// <summary>One account: rename it, or delete it with its transactions after typing its name.</summary>
public sealed class DetailsModel(IntegrationService integrations) : WorkspacePageModel
{
    [BindProperty]
    public string? Name { get; set; }

    [BindProperty]
    public string? DeleteConfirmation { get; set; }

    public IntegrationSummary Integration { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid integrationId)
    {
        if (await LoadAsync(integrationId) is { } missing)
        {
            return missing;
        }

        Name = Integration.Name;
        return Page();
    }

    public async Task<IActionResult> OnPostRenameAsync(Guid integrationId)
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        if (await LoadAsync(integrationId) is { } missing)
        {
            return missing;
        }

        var result = await integrations.RenameAsync(Membership, integrationId, Name, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result, nameof(Name));
        }

        TempData["Status"] = "Account renamed.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync(Guid integrationId)
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        if (await LoadAsync(integrationId) is { } missing)
        {
            return missing;
        }

        Name = Integration.Name;
        if (!string.Equals(DeleteConfirmation?.Trim(), Integration.Name, StringComparison.Ordinal))
        {
            ModelState.AddModelError(nameof(DeleteConfirmation), "Type the account's name exactly as shown to confirm.");
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        var result = await integrations.DeleteAsync(Membership, integrationId, HttpContext.RequestAborted);
        if (!result.Succeeded)
        {
            return Refused(result);
        }

        TempData["Status"] = $"Account \"{Integration.Name}\" and its {Integration.TransactionCount} transaction(s) were deleted.";
        return Redirect($"/workspaces/{Workspace.Id}/portfolio/integrations");
    }

    private async Task<IActionResult?> LoadAsync(Guid integrationId)
    {
        var integration = await integrations.FindAsync(Workspace.Id, integrationId, HttpContext.RequestAborted);
        if (integration is null)
        {
            return NotFound();
        }

        Integration = integration;
        return null;
    }
}
