using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Portfolio.Views;

/// <summary>Settings of the <c>Portfolio:Views</c> section (see docs/configuration.md).</summary>
public sealed class PortfolioViewsOptions
{
    public const string SectionName = "Portfolio:Views";

    /// <summary>
    /// How many workspaces' snapshots stay in memory at most; beyond it the least recently used go
    /// first and are recomputed on their next read.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxCachedWorkspaces { get; set; } = 1_000;

    /// <summary>
    /// How long a snapshot is served before it is recomputed even without a change, so that prices
    /// from a price API or a new day's close show up. Writes invalidate at once regardless.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(15);
}
