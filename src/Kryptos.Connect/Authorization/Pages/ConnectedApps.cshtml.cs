using Kryptos.Connect.Authorization.Grants;
using Kryptos.Connect.Core;
using Kryptos.Connect.Usage;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Authorization.Pages;

/// <summary>The apps the user let into one of their workspaces, and the way to take that back.</summary>
[Authorize]
public sealed class ConnectedAppsModel(GrantDirectory grants, IGrantRevocation revocation, UserActivity activity) : PageModel
{
    public IReadOnlyList<ConnectedApp> Apps { get; private set; } = [];

    /// <summary>What each app read of the user's data in the last 30 days, by grant id.</summary>
    public IReadOnlyDictionary<string, AppActivity> Activity { get; private set; } = new Dictionary<string, AppActivity>();

    /// <summary>"your transactions" for <c>transactions:read</c>: how the page says what a call read.</summary>
    public static string WhatWasRead(string? scope) => scope switch
    {
        KryptosScopes.PortfoliosRead => "your portfolios and holdings",
        KryptosScopes.TransactionsRead => "your transactions",
        KryptosScopes.IntegrationsRead => "your wallets and exchanges",
        KryptosScopes.TaxRead => "your tax figures",
        KryptosScopes.AccountingRead => "your accounting ledger",
        KryptosScopes.ReportsRead => "your reports",
        KryptosScopes.WorkspaceRead => "your workspace settings",
        KryptosScopes.UsersRead => "your profile",
        null => "public information",
        _ => KryptosScopes.Describe(scope).DisplayName,
    };

    public static string Times(int count) => count == 1 ? "once" : count == 2 ? "twice" : $"{count:N0} times";

    public async Task<IActionResult> OnGetAsync()
    {
        if (Principals.UserIdOf(User) is not { } userId)
        {
            return Challenge();
        }

        Apps = await grants.ListForUserAsync(userId, HttpContext.RequestAborted);
        Activity = await activity.ForGrantsAsync(userId, [.. Apps.Select(a => a.GrantId)], HttpContext.RequestAborted);
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAsync(string grantId)
    {
        // Only the user's own grants: anything else is "not found", like a grant that does not exist.
        if (Principals.UserIdOf(User) is not { } userId || !await revocation.RevokeAsync(userId, grantId, HttpContext.RequestAborted))
        {
            return NotFound();
        }

        TempData["Status"] = "Access revoked. The app's tokens stopped working.";
        return RedirectToPage();
    }
}
