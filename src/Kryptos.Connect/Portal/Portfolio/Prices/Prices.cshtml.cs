using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Prices;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Portal.Portfolio.Prices;

/// <summary>
/// The workspace's own prices: members see the imported closes (paged); editors and up import a price
/// CSV or remove the imported closes.
/// </summary>
public sealed class PricesModel(PriceCsvImport import, IOptions<PriceOptions> options) : WorkspacePageModel
{
    public const int PageSize = 50;

    [BindProperty]
    public IFormFile? Upload { get; set; }

    public IReadOnlyList<ImportedPrice> Prices { get; private set; } = [];

    public int Total { get; private set; }

    public int PageNumber { get; private set; } = 1;

    public bool HasMore => PageNumber * PageSize < Total;

    /// <summary>The problems of a rejected file, by line.</summary>
    public IReadOnlyList<PriceImportError> ImportErrors { get; private set; } = [];

    public int MaxFileKiB => options.Value.Import.MaxFileBytes / 1024;

    public bool ApiConfigured => options.Value.Api.BaseUrl is not null;

    public async Task OnGetAsync([FromQuery(Name = "page")] int pageNumber = 1)
    {
        PageNumber = Math.Clamp(pageNumber, 1, 100_000);
        await LoadAsync();
    }

    public async Task<IActionResult> OnPostImportAsync()
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "Choose a CSV file with a header and at least one price.");
            await LoadAsync();
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        PriceImportResult result;
        await using (var stream = Upload.OpenReadStream())
        {
            result = await import.ImportAsync(Workspace.Id, stream, HttpContext.RequestAborted);
        }

        if (!result.Succeeded)
        {
            ImportErrors = result.Errors;
            ModelState.AddModelError(nameof(Upload), "Nothing was imported: fix the problems listed below and upload the file again.");
            await LoadAsync();
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        TempData["Status"] = $"Imported {result.Inserted + result.Updated} prices ({result.Inserted} new, {result.Updated} updated).";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostDeleteAsync()
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        var deleted = await import.DeleteAllAsync(Workspace.Id, HttpContext.RequestAborted);
        TempData["Status"] = $"Removed {deleted} imported prices.";
        return RedirectToPage();
    }

    private async Task LoadAsync()
    {
        (Prices, Total) = await import.ListAsync(Workspace.Id, PageNumber, PageSize, HttpContext.RequestAborted);
    }
}
