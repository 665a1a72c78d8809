using System.Globalization;
using CsvHelper;

namespace Kryptos.Connect.Portfolio.Reports;

/// <summary>
/// Writes a report's rows as RFC 4180 CSV (UTF-8 without a byte order mark, comma, CRLF) with
/// CsvHelper. A cell is text (a string) or a number (a decimal); null is an empty field.
/// </summary>
public static class ReportCsv
{
    /// <summary>Decimals in full precision, without trailing zeros or exponent.</summary>
    private const string NumberFormat = "0.############################";

    /// <summary>
    /// CSV injection: a spreadsheet runs a text cell that starts with <c>=</c>, <c>+</c>, <c>-</c>,
    /// <c>@</c>, a tab or a carriage return as a formula. CsvHelper puts an apostrophe in front of
    /// such text, which spreadsheets show as text (OWASP's advice). Numbers are written as numbers, so
    /// a loss of <c>-500</c> stays a number.
    /// </summary>
    private static readonly CsvWriterOptions Options = CsvWriterOptions.Default with
    {
        Injection = CsvInjection.Escape,
        FormatProvider = CultureInfo.InvariantCulture,
        WriteByteOrderMark = false,
    };

    /// <summary>
    /// The CSV of <paramref name="header"/> and <paramref name="rows"/>; <paramref name="progress"/>
    /// hears how many rows are written, every <paramref name="reportEvery"/> rows.
    /// </summary>
    public static async Task<byte[]> WriteAsync(
        IReadOnlyList<string> header,
        IReadOnlyList<IReadOnlyList<object?>> rows,
        Func<int, Task>? progress = null,
        int reportEvery = 1_000)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(rows);
        using var buffer = new MemoryStream();
        await using (var csv = CsvWriter.Create(buffer, Options, leaveOpen: true))
        {
            csv.WriteRecord([.. header]);
            for (var i = 0; i < rows.Count; i++)
            {
                foreach (var cell in rows[i])
                {
                    switch (cell)
                    {
                        case decimal number:
                            csv.WriteField(number, NumberFormat);
                            break;
                        case null:
                            csv.WriteField((string?)null);
                            break;
                        default:
                            csv.WriteField(Convert.ToString(cell, CultureInfo.InvariantCulture));
                            break;
                    }
                }

                await csv.EndRecordAsync();
                if (progress is not null && (i + 1) % reportEvery == 0)
                {
                    await progress(i + 1);
                }
            }
        }

        return buffer.ToArray();
    }
}
