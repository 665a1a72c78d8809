using System.Globalization;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Portfolio.Tax;

/// <summary>The tax summary of a year (short and long term gains, income, proceeds, cost basis) and its disposals.</summary>
public sealed class IndexModel(IPortfolioViews views) : WorkspacePageModel
{
    [FromQuery(Name = "year")]
    public string? YearText { get; set; }

    public PortfolioSnapshot Snapshot { get; private set; } = null!;

    public IReadOnlyList<int> Years { get; private set; } = [];

    public TaxYearSummary? Summary { get; private set; }

    public IReadOnlyList<Disposal> Disposals { get; private set; } = [];

    public IReadOnlyList<IncomeEvent> Income { get; private set; } = [];

    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        Snapshot = await views.GetAsync(Workspace.Id, HttpContext.RequestAborted);
        Years = [.. Snapshot.TaxYears.Select(y => y.Year).OrderDescending()];
        if (Years.Count == 0)
        {
            return Page();
        }

        var year = Years[0];
        if (!string.IsNullOrEmpty(YearText))
        {
            if (!int.TryParse(YearText, NumberStyles.None, CultureInfo.InvariantCulture, out year) || !Years.Contains(year))
            {
                Error = $"There is no tax data for \"{(YearText.Length > 10 ? YearText[..10] : YearText)}\": choose one of the listed years.";
                return Page().WithStatus(StatusCodes.Status400BadRequest);
            }
        }

        Summary = Snapshot.TaxYear(year);
        Disposals = [.. Snapshot.Disposals.Where(d => d.Year == year).OrderBy(d => d.DisposedAt).ThenBy(d => d.Asset, StringComparer.Ordinal)];
        Income = [.. Snapshot.Income.Where(i => i.Year == year).OrderBy(i => i.ReceivedAt)];
        return Page();
    }
}
