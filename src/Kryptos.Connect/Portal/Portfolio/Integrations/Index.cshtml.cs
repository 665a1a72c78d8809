using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Providers;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Integrations;

/// <summary>The workspace's accounts (wallets, exchange accounts, CSV sources) and the forms that add them.</summary>
public sealed class IndexModel(IntegrationService integrations) : WorkspacePageModel
{
    [BindProperty]
    public WalletInput Wallet { get; set; } = new();

    [BindProperty]
    public ExchangeInput Exchange { get; set; } = new();

    public IReadOnlyList<IntegrationSummary> Integrations { get; private set; } = [];

    public static IEnumerable<Provider> Chains => ProviderCatalogue.All.Where(p => p.Kind == ProviderKind.Chain);

    public static IEnumerable<Provider> Wallets => ProviderCatalogue.All.Where(p => p.Kind == ProviderKind.Wallet);

    public static IEnumerable<Provider> Exchanges => ProviderCatalogue.All.Where(p => p.Kind == ProviderKind.Exchange);

    public async Task OnGetAsync() => Integrations = await integrations.ListAsync(Workspace.Id, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostWalletAsync()
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        ModelState.Clear();
        var change = await integrations.AddWalletAsync(Membership, Wallet.Name, Wallet.Chain, Wallet.Address, Wallet.ProviderId, HttpContext.RequestAborted);
        if (!change.Result.Succeeded)
        {
            if (change.Field == "address" && WalletAddresses.LooksSecret(Wallet.Address ?? ""))
            {
                // A secret typed by mistake is never sent back to the browser.
                Wallet.Address = "";
                ModelState.SetModelValue("Wallet.Address", "", "");
            }

            return await RefusedAsync(change, "Wallet");
        }

        TempData["Status"] = "Wallet added.";
        return RedirectToPage();
    }

    public async Task<IActionResult> OnPostExchangeAsync()
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        ModelState.Clear();
        var change = await integrations.AddExchangeAsync(Membership, Exchange.Name, Exchange.ProviderId, HttpContext.RequestAborted);
        if (!change.Result.Succeeded)
        {
            return await RefusedAsync(change, "Exchange");
        }

        TempData["Status"] = "Exchange account added.";
        return RedirectToPage();
    }

    private async Task<IActionResult> RefusedAsync(IntegrationChange change, string form)
    {
        if (change.Result.IsDenied)
        {
            return StatusCode(StatusCodes.Status403Forbidden);
        }

        var key = change.Field switch
        {
            "name" => "Name",
            "chain" => "Chain",
            "provider" => "ProviderId",
            "address" => "Address",
            _ => "",
        };
        ModelState.AddModelError(key.Length == 0 ? "" : $"{form}.{key}", change.Result.Error ?? "That account cannot be added.");
        Integrations = await integrations.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        return Page().WithStatus(StatusCodes.Status400BadRequest);
    }
}

public sealed class WalletInput
{
    public string? Name { get; set; }

    public string? Chain { get; set; }

    public string? ProviderId { get; set; }

    public string? Address { get; set; }
}

public sealed class ExchangeInput
{
    public string? Name { get; set; }

    public string? ProviderId { get; set; }
}
