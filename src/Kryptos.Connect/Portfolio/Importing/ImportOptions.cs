using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Portfolio.Importing;

/// <summary>
/// Limits of the transaction CSV import (section <c>Portfolio:Import</c>). An upload is also bounded
/// by <c>Hosting:MaxRequestBodyBytes</c>, which must be larger than <see cref="MaxFileBytes"/> to let
/// a file of that size through.
/// </summary>
public sealed class ImportOptions
{
    public const string SectionName = "Portfolio:Import";

    /// <summary>Largest CSV file accepted, in bytes.</summary>
    [Range(1024, 100 * 1024 * 1024)]
    public int MaxFileBytes { get; set; } = 1_000_000;

    /// <summary>Most data rows in one file.</summary>
    [Range(1, 1_000_000)]
    public int MaxRows { get; set; } = 100_000;

    /// <summary>Files of at most this many rows are imported during the upload request; larger ones in the background.</summary>
    [Range(0, 10_000)]
    public int InlineRows { get; set; } = 200;
}
