using System.Globalization;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using CsvHelper;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Portfolio.Prices;

/// <summary>A problem with an uploaded price CSV: the file's line (0 for the file as a whole) and column.</summary>
public sealed record PriceImportError(int Line, string? Column, string Message);

/// <summary>The outcome of a price CSV import: what was written, or why nothing was.</summary>
public sealed record PriceImportResult(int Inserted, int Updated, IReadOnlyList<PriceImportError> Errors)
{
    public bool Succeeded => Errors.Count == 0;

    internal static PriceImportResult Failed(PriceImportError error) => new(0, 0, [error]);
}

/// <summary>One imported close, for the list of a workspace's prices.</summary>
public sealed record ImportedPrice(DateOnly Date, string Asset, decimal Close, string Currency, DateTimeOffset ImportedAt);

/// <summary>
/// The price CSV import (columns <c>date,asset,close,currency</c>; see docs/prices.md). All or nothing:
/// every row is checked first and any problem is reported with its line number while nothing is
/// written; a valid file is written in one transaction, replacing the closes the workspace already had
/// for the same asset, currency and day (so importing a file twice changes nothing). The caller checks
/// <c>EditPortfolio</c>.
/// </summary>
public sealed partial class PriceCsvImport(KryptosDbContext db, IOptions<PriceOptions> options, AuditLog audit, TimeProvider time, IServiceProvider services)
{
    /// <summary>The columns, in the order the documentation and the sample file use.</summary>
    public static readonly IReadOnlyList<string> Columns = ["date", "asset", "close", "currency"];

    /// <summary>The earliest day a close may have (the first Bitcoin block).</summary>
    public static readonly DateOnly EarliestDate = new(2009, 1, 3);

    /// <summary>The largest close accepted.</summary>
    public const decimal MaxClose = 1_000_000_000_000m;

    private const int MaxDecimals = 18;

    /// <summary>More problems than this are summed up in one line: the first ones show what is wrong.</summary>
    private const int MaxErrors = 100;

    /// <summary>A page of the workspace's imported closes, newest day first, and how many there are.</summary>
    public async Task<(IReadOnlyList<ImportedPrice> Items, int Total)> ListAsync(Guid workspaceId, int page, int pageSize, CancellationToken cancellationToken = default)
    {
        var query = db.PriceQuotes.AsNoTracking().Where(q => q.WorkspaceId == workspaceId);
        var total = await query.CountAsync(cancellationToken);
        var items = await query
            .OrderByDescending(q => q.Date).ThenBy(q => q.Asset).ThenBy(q => q.Currency)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(q => new ImportedPrice(q.Date, q.Asset, q.Close, q.Currency, q.ImportedAt))
            .ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>Removes every imported close of the workspace; the other price sources answer again.</summary>
    public async Task<int> DeleteAllAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var deleted = await db.PriceQuotes.Where(q => q.WorkspaceId == workspaceId).ExecuteDeleteAsync(cancellationToken);
        if (deleted > 0)
        {
            audit.Record(workspaceId, AuditActions.PricesDeleted, $"Deleted the {deleted:N0} imported price(s)");
            await db.SaveChangesAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        services.GetService<IPortfolioViews>()?.Invalidate(workspaceId);
        return deleted;
    }

    /// <summary>Checks and imports <paramref name="content"/> into <paramref name="workspaceId"/>.</summary>
    public async Task<PriceImportResult> ImportAsync(Guid workspaceId, Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var limits = options.Value.Import;
        var bytes = await ReadLimitedAsync(content, limits.MaxFileBytes, cancellationToken);
        if (bytes is null)
        {
            return PriceImportResult.Failed(new(0, null, $"The file is larger than {limits.MaxFileBytes / 1024} KiB. Split it into smaller files."));
        }

        if (FileProblem(bytes) is { } problem)
        {
            return PriceImportResult.Failed(problem);
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var rows = new Dictionary<(string Asset, string Currency, DateOnly Date), (decimal Close, int Line)>();
        var errors = new List<PriceImportError>();
        try
        {
            using var reader = CsvReader.Create(bytes, new CsvReaderOptions
            {
                Separator = ',',
                HasHeader = true,
                TrackLineNumbers = true,
                TrimWhitespace = true,
                MalformedData = CsvMalformedDataHandling.Throw,
                IncludeValuesInExceptions = false,
            });
            if (HeaderProblem(reader.Headers) is { } headerProblem)
            {
                return PriceImportResult.Failed(headerProblem);
            }

            var index = Columns.ToDictionary(c => c, c => reader.Headers.ToList().FindIndex(h => string.Equals(h.Trim(), c, StringComparison.OrdinalIgnoreCase)));
            while (reader.Read())
            {
                var line = (int)reader.LineNumber;
                if (reader.RowNumber > limits.MaxRows)
                {
                    errors.Add(new(line, null, $"The file has more than {limits.MaxRows:N0} rows. Split it into smaller files."));
                    break;
                }

                if (reader.FieldCount != Columns.Count)
                {
                    errors.Add(new(line, null, $"Expected {Columns.Count} fields (date,asset,close,currency), found {reader.FieldCount}."));
                    continue;
                }

                var row = ReadRow(reader, index, line, today, errors);
                if (row is { } valid)
                {
                    var key = (valid.Asset, valid.Currency, valid.Date);
                    if (rows.TryGetValue(key, out var earlier))
                    {
                        errors.Add(new(line, null, $"The same asset, currency and date as line {earlier.Line}."));
                    }
                    else
                    {
                        rows[key] = (valid.Close, line);
                    }
                }

                if (errors.Count >= MaxErrors)
                {
                    errors.Add(new(line, null, "Too many problems; only the first ones are listed."));
                    break;
                }
            }
        }
        catch (CsvFormatException exception)
        {
            errors.Add(new((int)exception.LineNumber, null, "The line is not valid CSV (check the quotes)."));
        }

        if (errors.Count > 0)
        {
            return new PriceImportResult(0, 0, errors);
        }

        if (rows.Count == 0)
        {
            return PriceImportResult.Failed(new(0, null, "The file has a header but no prices."));
        }

        int inserted, updated;
        try
        {
            (inserted, updated) = await UpsertAsync(workspaceId, rows, cancellationToken);
        }
        catch (DbUpdateException)
        {
            // Another import wrote one of these closes between our read and our write: nothing of this
            // one was kept (the transaction rolled back).
            db.ChangeTracker.Clear();
            return PriceImportResult.Failed(new(0, null, "Another import changed these prices at the same time. Nothing was imported; try again."));
        }

        services.GetService<IPortfolioViews>()?.Invalidate(workspaceId);
        return new PriceImportResult(inserted, updated, []);
    }

    private static (DateOnly Date, string Asset, decimal Close, string Currency)? ReadRow(
        CsvReader reader, Dictionary<string, int> index, int line, DateOnly today, List<PriceImportError> errors)
    {
        var count = errors.Count;
        var dateText = reader.GetString(index["date"]) ?? "";
        var assetText = (reader.GetString(index["asset"]) ?? "").ToUpperInvariant();
        var closeText = reader.GetString(index["close"]) ?? "";
        var currencyText = (reader.GetString(index["currency"]) ?? "").ToUpperInvariant();

        if (!DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            errors.Add(new(line, "date", "Write the date as YYYY-MM-DD, e.g. 2025-03-31."));
        }
        else if (date > today)
        {
            errors.Add(new(line, "date", $"The date is in the future (today is {today:yyyy-MM-dd} UTC)."));
        }
        else if (date < EarliestDate)
        {
            errors.Add(new(line, "date", $"The date is before {EarliestDate:yyyy-MM-dd}, the first day of Bitcoin."));
        }

        if (!AssetPattern().IsMatch(assetText))
        {
            errors.Add(new(line, "asset", "The asset is a symbol of 1 to 16 letters or digits, e.g. BTC."));
        }

        decimal close = 0;
        if (closeText.StartsWith('-'))
        {
            errors.Add(new(line, "close", "The close must be a positive number."));
        }
        else if (!DecimalPattern().IsMatch(closeText) || !decimal.TryParse(closeText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out close))
        {
            errors.Add(new(line, "close", "The close is a number with a dot for decimals and no thousands separators, e.g. 64123.45."));
        }
        else if (close <= 0m)
        {
            errors.Add(new(line, "close", "The close must be a positive number."));
        }
        else if (close > MaxClose)
        {
            errors.Add(new(line, "close", $"The close is too large (at most {MaxClose:N0})."));
        }

        if (!DemoPrices.UsdRates.ContainsKey(currencyText))
        {
            errors.Add(new(line, "currency", "The currency is one of the base currencies a workspace can use, e.g. USD or EUR."));
        }

        return errors.Count == count ? (date, assetText, close, currencyText) : null;
    }

    private async Task<(int Inserted, int Updated)> UpsertAsync(
        Guid workspaceId, Dictionary<(string Asset, string Currency, DateOnly Date), (decimal Close, int Line)> rows, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var assets = rows.Keys.Select(k => k.Asset).Distinct().ToList();
        var first = rows.Keys.Min(k => k.Date);
        var last = rows.Keys.Max(k => k.Date);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var existing = await db.PriceQuotes
            .Where(q => q.WorkspaceId == workspaceId && assets.Contains(q.Asset) && q.Date >= first && q.Date <= last)
            .ToDictionaryAsync(q => (q.Asset, q.Currency, q.Date), cancellationToken);
        int inserted = 0, updated = 0;
        foreach (var ((asset, currency, date), (close, _)) in rows)
        {
            if (existing.TryGetValue((asset, currency, date), out var quote))
            {
                quote.Close = close;
                quote.ImportedAt = now;
                updated++;
            }
            else
            {
                db.PriceQuotes.Add(new PriceQuote { WorkspaceId = workspaceId, Asset = asset, Currency = currency, Date = date, Close = close, ImportedAt = now });
                inserted++;
            }
        }

        audit.Record(workspaceId, AuditActions.PricesImported, $"Imported prices: {inserted:N0} new and {updated:N0} updated daily close(s)");
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (inserted, updated);
    }

    /// <summary>The file's bytes, or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadLimitedAsync(Stream content, int limit, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>Refuses what is not a UTF-8 text file before the CSV reader sees it.</summary>
    private static PriceImportError? FileProblem(byte[] bytes)
    {
        if (bytes.Length == 0)
        {
            return new(0, null, "The file is empty.");
        }

        var nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
        {
            var line = 1 + bytes.AsSpan(0, nul).Count((byte)'\n');
            return new(line, null, "The file contains NUL bytes: it is not a text CSV file.");
        }

        return Utf8.IsValid(bytes) ? null : new(0, null, "The file is not UTF-8 text. Save it as CSV UTF-8.");
    }

    private static PriceImportError? HeaderProblem(IReadOnlyList<string> headers)
    {
        var names = headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = Columns.Where(c => !names.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            return new(1, null, $"The first line must be the header date,asset,close,currency (missing: {string.Join(", ", missing)}).");
        }

        if (names.Count != Columns.Count)
        {
            return new(1, null, "The header must have exactly the columns date,asset,close,currency.");
        }

        return null;
    }

    [GeneratedRegex("^[A-Z0-9]{1,16}$")]
    private static partial Regex AssetPattern();

    /// <summary>Digits with at most one dot and at most 18 decimals: no sign, exponent or separators.</summary>
    [GeneratedRegex(@"^[0-9]{1,28}(\.[0-9]{1,18})?$")]
    private static partial Regex DecimalPattern();
}
