using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Views;

namespace Kryptos.Connect.Portal.Portfolio.Overview;

/// <summary>The portfolio's front page: totals, the holdings table and the allocation chart, from the computed snapshot.</summary>
public sealed class IndexModel(IPortfolioViews views) : WorkspacePageModel
{
    /// <summary>Assets shown as their own bar; the rest are summed as "Other".</summary>
    public const int ChartBars = 8;

    public PortfolioSnapshot Snapshot { get; private set; } = null!;

    /// <summary>The bars of the allocation chart: the largest holdings by market value, then "Other".</summary>
    public IReadOnlyList<(string Label, decimal Share)> Bars { get; private set; } = [];

    public async Task OnGetAsync()
    {
        Snapshot = await views.GetAsync(Workspace.Id, HttpContext.RequestAborted);
        var priced = Snapshot.Holdings.Where(h => h.Allocation is > 0).OrderByDescending(h => h.Allocation).ToList();
        var bars = priced.Take(ChartBars).Select(h => (h.Asset, h.Allocation!.Value)).ToList();
        var rest = priced.Skip(ChartBars).Sum(h => h.Allocation!.Value);
        if (rest > 0)
        {
            bars.Add(("Other", rest));
        }

        Bars = bars;
    }

    /// <summary>How the page names the price source.</summary>
    public static string DescribeSource(string source) => source switch
    {
        "demo" => "Demo prices",
        "import" => "Your imported prices",
        "api" => "Price API",
        "mixed" => "Mixed sources",
        _ => source,
    };
}
