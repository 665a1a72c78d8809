using System.Globalization;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Transactions;

/// <summary>The transaction list, newest first, with filters in the query string (a plain GET form) and pages of 50.</summary>
public sealed class IndexModel(TransactionService transactions, IntegrationService integrations) : WorkspacePageModel
{
    public const int PageSize = 50;

    [FromQuery(Name = "integration")]
    public string? Integration { get; set; }

    [FromQuery(Name = "asset")]
    public string? Asset { get; set; }

    [FromQuery(Name = "type")]
    public string? Type { get; set; }

    [FromQuery(Name = "label")]
    public string? Label { get; set; }

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "page")]
    public string? PageNumberText { get; set; }

    public int PageNumber { get; private set; } = 1;

    public TransactionPage Results { get; private set; } = new([], 0);

    public IReadOnlyList<IntegrationSummary> AccountOptions { get; private set; } = [];

    public IReadOnlyList<string> Assets { get; private set; } = [];

    public bool HasTransactions { get; private set; }

    public IList<string> FilterErrors { get; } = [];

    public int PageCount => Math.Max(1, (Results.Total + PageSize - 1) / PageSize);

    public async Task<IActionResult> OnGetAsync()
    {
        ModelState.Clear();
        AccountOptions = await integrations.ListAsync(Workspace.Id, HttpContext.RequestAborted);
        Assets = await transactions.AssetsAsync(Workspace.Id, HttpContext.RequestAborted);
        var filter = ParseFilter();
        HasTransactions = AccountOptions.Any(a => a.TransactionCount > 0);
        if (FilterErrors.Count > 0)
        {
            return Page().WithStatus(StatusCodes.Status400BadRequest);
        }

        Results = await transactions.ListAsync(Workspace.Id, filter, (PageNumber - 1) * PageSize, PageSize, HttpContext.RequestAborted);
        return Page();
    }

    public string NameOf(Guid? integrationId) =>
        integrationId is { } id ? AccountOptions.FirstOrDefault(a => a.Id == id)?.Name ?? "—" : "";

    /// <summary>The query string of this list with <paramref name="page"/> instead of the current page.</summary>
    public string PageUrl(int page)
    {
        var query = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                query.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("integration", Integration);
        Add("asset", Asset);
        Add("type", Type);
        Add("label", Label);
        Add("from", From);
        Add("to", To);
        Add("page", page.ToString(CultureInfo.InvariantCulture));
        return $"/workspaces/{Workspace.Id}/portfolio/transactions?{string.Join('&', query)}";
    }

    private TransactionFilter ParseFilter()
    {
        Guid? integrationId = null;
        if (!string.IsNullOrEmpty(Integration))
        {
            if (Guid.TryParse(Integration, out var id) && AccountOptions.Any(a => a.Id == id))
            {
                integrationId = id;
            }
            else
            {
                FilterErrors.Add("Choose an account of this workspace.");
            }
        }

        string? asset = null;
        if (!string.IsNullOrEmpty(Asset))
        {
            if (TransactionRules.ParseAsset(Asset, out var symbol) is { } error)
            {
                FilterErrors.Add(error);
            }

            asset = symbol;
        }

        TransactionType? type = null;
        if (!string.IsNullOrEmpty(Type))
        {
            if (TransactionRules.TryParseName<TransactionType>(Type, out var parsed) && Enum.IsDefined(parsed))
            {
                type = parsed;
            }
            else
            {
                FilterErrors.Add("Choose a type from the list.");
            }
        }

        TransactionLabel? label = null;
        if (!string.IsNullOrEmpty(Label))
        {
            if (TransactionRules.TryParseName<TransactionLabel>(Label, out var parsed) && Enum.IsDefined(parsed))
            {
                label = parsed;
            }
            else
            {
                FilterErrors.Add("Choose a label from the list.");
            }
        }

        var from = ParseDay(From, "from");
        // "To" is the last day included: the filter stops at the start of the next day.
        var to = ParseDay(To, "to")?.AddDays(1);
        if (from is not null && to is not null && from >= to)
        {
            FilterErrors.Add("The \"from\" date must not be after the \"to\" date.");
        }

        if (!string.IsNullOrEmpty(PageNumberText))
        {
            if (int.TryParse(PageNumberText, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page is >= 1 and <= 1_000_000)
            {
                PageNumber = page;
            }
            else
            {
                FilterErrors.Add("The page must be a whole number from 1.");
            }
        }

        return new TransactionFilter(integrationId, asset, type, label, from, to);
    }

    private DateTimeOffset? ParseDay(string? text, string name)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2009 and <= 9998)
        {
            return new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        }

        FilterErrors.Add($"The \"{name}\" date must be a date like 2024-03-01.");
        return null;
    }
}
