using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Demo;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Demo;

/// <summary>Loads the demo data set into the workspace with one button (editors and up).</summary>
public sealed class DemoModel(DemoDataLoader loader) : WorkspacePageModel
{
    /// <summary>Demo transactions the workspace holds now.</summary>
    public int LoadedCount { get; private set; }

    public async Task OnGetAsync() =>
        LoadedCount = await loader.CountDemoTransactionsAsync(Workspace.Id, HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostAsync()
    {
        if (Require(WorkspaceOperation.EditPortfolio) is { } denied)
        {
            return denied;
        }

        var result = await loader.LoadDemoAsync(Workspace.Id, HttpContext.RequestAborted);
        if (result is null)
        {
            return NotFound();
        }

        TempData["Status"] = result.ReplacedTransactions > 0
            ? $"Demo data reloaded: {result.Transactions} transactions (the previous {result.ReplacedTransactions} demo transactions were replaced)."
            : $"Demo data loaded: {result.Transactions} transactions in {DemoPortfolio.Accounts.Count} demo accounts.";
        return Redirect($"/workspaces/{Workspace.Id}/portfolio");
    }
}
