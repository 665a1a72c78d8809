using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Integrations;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Import;

/// <summary>Uploads a transaction CSV into an account (or a new CSV source) and lists the latest imports.</summary>
public sealed class IndexModel(ImportService imports, IntegrationService integrations) : WorkspacePageModel
{
    /// <summary>The value of the account choice that creates a new CSV source.</summary>
    public const string NewSource = "new";

    [BindProperty]
    public string? IntegrationId { get; set; }

    [BindProperty]
    public string? NewSourceName { get; set; } = "CSV import";

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public IReadOnlyList<IntegrationSummary> AccountOptions { get; private set; } = [];

    public IReadOnlyList<ImportJobView> Jobs { get; private set; } = [];

    public async Task OnGetAsync(Guid? integration)
    {
        await LoadAsync();
        IntegrationId = integration?.ToString() ?? (AccountOptions.Count > 0 ? AccountOptions[0].Id.ToString() : NewSource);
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        ModelState.Clear();
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "Choose a CSV file to import.");
            return await PageAgainAsync();
        }

        Guid integrationId;
        if (IntegrationId == NewSource)
        {
            var created = await integrations.AddCsvSourceAsync(Membership, NewSourceName, HttpContext.RequestAborted);
            if (!created.Result.Succeeded)
            {
                ModelState.AddModelError(nameof(NewSourceName), created.Result.Error ?? "That name cannot be used.");
                return await PageAgainAsync();
            }

            integrationId = created.Id!.Value;
        }
        else if (!Guid.TryParse(IntegrationId, out integrationId))
        {
            ModelState.AddModelError(nameof(IntegrationId), "Choose an account of this workspace.");
            return await PageAgainAsync();
        }

        await using var stream = Upload.OpenReadStream();
        var start = await imports.StartAsync(Membership, integrationId, Upload.FileName, stream, Upload.Length, HttpContext.RequestAborted);
        if (start.Result.IsDenied)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        if (!start.Result.Succeeded)
        {
            ModelState.AddModelError(start.Field == "integration" ? nameof(IntegrationId) : nameof(Upload), start.Result.Error ?? "That file cannot be imported.");
            IntegrationId = integrationId.ToString();
            return await PageAgainAsync();
        }

        return Redirect($"/workspaces/{Workspace.Id}/portfolio/import/{start.JobId}");
    }

    private async Task<IActionResult> PageAgainAsync()
    {
        await LoadAsync();
        return Page().WithStatus(StatusCodes.Status400BadRequest);
    }

    private async Task LoadAsync()
    {
        AccountOptions = await integrations.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        Jobs = await imports.ListAsync(Workspace.Id, 20, HttpContext.RequestAborted);
    }
}
