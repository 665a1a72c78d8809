using System.Globalization;
using System.Text;
using Kryptos.Connect.Portal.Workspaces;
using Kryptos.Connect.Portfolio.Reports;
using Kryptos.Connect.Usage;
using Microsoft.AspNetCore.Mvc;

namespace Kryptos.Connect.Portal.Usage;

/// <summary>
/// The workspace's usage page: calls made with its OAuth clients and API keys over a range, as a
/// chart, totals, top endpoints and breakdowns; every member may view it. The CSV export lives at
/// <c>/workspaces/{id}/usage/export</c> (the <see cref="OnGetExportAsync"/> handler).
/// </summary>
public sealed class UsageModel(WorkspaceUsage usage) : WorkspacePageModel
{
    public WorkspaceUsageData Data { get; private set; } = null!;

    public UsageChart Chart { get; private set; } = null!;

    public IReadOnlyDictionary<string, int> ActiveGrants { get; private set; } = new Dictionary<string, int>();

    /// <summary>The client filter (<c>?client=</c>), one of the workspace's own clients.</summary>
    public string? ClientFilter { get; private set; }

    public Guid? KeyFilter { get; private set; }

    public IReadOnlyList<Row> TopEndpoints { get; private set; } = [];

    public IReadOnlyList<Row> PerClient { get; private set; } = [];

    public IReadOnlyList<Row> PerKey { get; private set; } = [];

    public Task<IActionResult> OnGetAsync(string? range, string? client, string? key) => LoadAsync(range, client, key, page: true);

    public Task<IActionResult> OnGetExportAsync(string? range, string? client, string? key) => LoadAsync(range, client, key, page: false);

    /// <summary>The page's link with its filters and <paramref name="range"/>.</summary>
    public string Link(UsageRange range, string? client = null, Guid? key = null, bool export = false)
    {
        ArgumentNullException.ThrowIfNull(range);
        var query = new StringBuilder("?range=").Append(range.Key);
        if ((client ?? ClientFilter) is { } c)
        {
            query.Append("&client=").Append(Uri.EscapeDataString(c));
        }
        else if ((key ?? KeyFilter) is { } k)
        {
            query.Append("&key=").Append(k);
        }

        return $"/workspaces/{Workspace.Id}/usage{(export ? "/export" : "")}{query}";
    }

    private async Task<IActionResult> LoadAsync(string? rangeKey, string? client, string? key, bool page)
    {
        if (UsageRange.Parse(rangeKey) is not { } range)
        {
            return BadRequest();
        }

        Guid? keyId = null;
        if (key is not null)
        {
            if (!Guid.TryParse(key, out var parsed))
            {
                return NotFound();
            }

            keyId = parsed;
        }

        var cancellation = HttpContext.RequestAborted;
        if (client is not null && !(await usage.ClientNamesAsync(Workspace.Id, cancellation)).ContainsKey(client))
        {
            // Another workspace's client, or none: like any object outside the workspace, a 404.
            return NotFound();
        }

        ClientFilter = client;
        KeyFilter = client is null ? keyId : null;
        Data = await usage.ReadAsync(Workspace.Id, range, ClientFilter, KeyFilter, cancellation);
        if (!page)
        {
            return await ExportAsync();
        }

        Chart = new UsageChart(Data);
        ActiveGrants = await usage.ActiveGrantsAsync(Workspace.Id, cancellation);
        TopEndpoints = Rows(Data.Slices.GroupBy(s => s.Route), r => r, _ => null).Take(10).ToList();
        PerClient = Rows(Data.Slices.Where(s => s.ClientId.Length > 0).GroupBy(s => s.ClientId), Data.ClientName, c => Link(range, client: c)).ToList();
        PerKey = Rows(Data.Slices.Where(s => s.KeyId != Guid.Empty).GroupBy(s => s.KeyId), Data.KeyName, k => Link(range, key: k)).ToList();
        return Page();
    }

    private static IEnumerable<Row> Rows<TKey>(IEnumerable<IGrouping<TKey, UsageSlice>> groups, Func<TKey, string> name, Func<TKey, string?> link) =>
        groups.Select(g => (g.Key, Totals: UsageTotals.Of(g)))
            .OrderByDescending(g => g.Totals.Requests).ThenBy(g => name(g.Key), StringComparer.Ordinal)
            .Select(g => new Row(name(g.Key), link(g.Key), g.Key?.ToString() ?? "", g.Totals));

    /// <summary>One row per bucket of the range (per hour or day, client or key, route and status).</summary>
    private async Task<IActionResult> ExportAsync()
    {
        string[] header = ["start", "granularity", "client_id", "client_name", "api_key", "route", "status", "requests", "latency_mean_ms", "latency_p50_ms", "latency_p95_ms"];
        var rows = Data.Slices.Select(s => (IReadOnlyList<object?>)
        [
            s.Start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            Data.Range.Resolution == UsageGranularity.Hour ? "hour" : "day",
            s.ClientId.Length > 0 ? s.ClientId : null,
            s.ClientId.Length > 0 ? Data.ClientName(s.ClientId) : null,
            s.KeyId != Guid.Empty ? s.KeyId.ToString() : null,
            s.Route,
            s.StatusCode,
            s.Count,
            s.Count == 0 ? null : Math.Round((decimal)(s.LatencySumMs / s.Count), 1),
            (decimal?)s.Histogram.Percentile(50),
            (decimal?)s.Histogram.Percentile(95),
        ]).ToList();
        var csv = await ReportCsv.WriteAsync(header, rows);
        var name = $"usage-{Workspace.Id.ToString()[..8]}-{Data.Range.Key}-{Data.From.UtcDateTime:yyyyMMdd}.csv";
        return File(csv, "text/csv; charset=utf-8", name);
    }

    /// <summary>A line of a breakdown table: what (and where it links), its totals.</summary>
    public sealed record Row(string Name, string? Link, string Key, UsageTotals Totals);
}
