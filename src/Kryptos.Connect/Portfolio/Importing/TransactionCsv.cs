using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using Kryptos.Connect.Portfolio.Transactions;

namespace Kryptos.Connect.Portfolio.Importing;

/// <summary>A problem of the file: its line (1 is the header; 0 the file as a whole), the column, and why.</summary>
public sealed record CsvRowError(int Line, string? Column, string Message);

/// <summary>A valid row: its line, the transaction, and the id that makes re-imports idempotent.</summary>
public sealed record CsvRow(int Line, string ExternalId, TransactionDraft Draft);

/// <summary>What reading a file produced: the rows, or the errors (any error means nothing is imported).</summary>
public sealed record CsvReadResult(IReadOnlyList<CsvRow> Rows, IReadOnlyList<CsvRowError> Errors, int TotalRows, int DuplicatesInFile);

/// <summary>What a row may refer to: the workspace's accounts (by id or name) and its base currency.</summary>
public sealed record CsvContext(Guid IntegrationId, string BaseCurrency, IReadOnlyDictionary<Guid, string> Accounts, DateTimeOffset Now);

/// <summary>
/// The Kryptos transaction CSV (docs/csv-format.md): UTF-8, a header row, one transaction per row with
/// up to one incoming, one outgoing and one fee asset. Reading validates every row with
/// <see cref="TransactionRules"/> (the manual form's rules) and collects every error with its line
/// and column instead of stopping at the first, so a user fixes a file in one pass.
/// </summary>
public static class TransactionCsv
{
    /// <summary>Stops collecting after this many errors: the file is clearly not in the format.</summary>
    public const int MaxErrors = 500;

    public static readonly string[] Columns =
    [
        "id", "time", "type", "label",
        "in_asset", "in_quantity", "in_price",
        "out_asset", "out_quantity", "out_price",
        "fee_asset", "fee_quantity", "fee_price",
        "currency", "counterpart", "description",
    ];

    private static readonly string[] Required = ["time", "type", "label"];

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes the upload as UTF-8 (a BOM is allowed); null and a message when it is not a text file.</summary>
    public static string? Decode(byte[] content, out string text)
    {
        ArgumentNullException.ThrowIfNull(content);
        text = "";
        if (content.Length == 0)
        {
            return "The file is empty.";
        }

        if (Array.IndexOf(content, (byte)0) >= 0)
        {
            return "The file contains NUL bytes: it is not a text CSV file. Save it as \"CSV UTF-8\".";
        }

        try
        {
            text = StrictUtf8.GetString(content);
        }
        catch (DecoderFallbackException)
        {
            return "The file is not UTF-8 text. Save it as \"CSV UTF-8\" and upload it again.";
        }

        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        return string.IsNullOrWhiteSpace(text) ? "The file is empty." : null;
    }

    /// <summary>Counts the data rows (records after the header) without validating them.</summary>
    public static int CountRows(string text)
    {
        using var reader = CsvReader.FromText(text, Options());
        var count = 0;
        while (reader.Read())
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// Reads and validates every row. <paramref name="progress"/> is told how many rows were read so
    /// far, every few hundred rows.
    /// </summary>
    public static CsvReadResult Read(string text, CsvContext context, Action<int>? progress = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<CsvRowError>();
        var malformed = new HashSet<long>();
        using var reader = CsvReader.FromText(text, Options() with { OnMalformedRecord = record => malformed.Add(record.LineNumber) });
        var header = reader.Headers.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        if (header.Length == 0 || header.All(h => h.Length == 0))
        {
            return new([], [new(0, null, "The file is empty.")], 0, 0);
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Length; i++)
        {
            if (!Columns.Contains(header[i], StringComparer.Ordinal))
            {
                errors.Add(new(1, header[i], $"Unknown column \"{Truncate(header[i])}\". The columns are: {string.Join(", ", Columns)}."));
            }
            else if (!index.TryAdd(header[i], i))
            {
                errors.Add(new(1, header[i], $"The column \"{header[i]}\" appears twice."));
            }
        }

        foreach (var missing in Required.Where(r => !index.ContainsKey(r)))
        {
            errors.Add(new(1, missing, $"The header has no \"{missing}\" column (required: {string.Join(", ", Required)})."));
        }

        if (errors.Count > 0)
        {
            return new([], errors, 0, 0);
        }

        try
        {
            return ReadRows(reader, header, index, context, errors, malformed, progress);
        }
        catch (CsvFormatException e)
        {
            // Only what the options make fatal (a record over MaxRecordSize) gets here; the message names no value.
            errors.Add(new(checked((int)e.LineNumber), null, "The file cannot be read as CSV from this line: a record is too long or a quote is never closed."));
            return new([], errors, 0, 0);
        }
    }

    private static CsvReadResult ReadRows(CsvReader reader, string[] header, Dictionary<string, int> index, CsvContext context, List<CsvRowError> errors, HashSet<long> malformed, Action<int>? progress)
    {
        var rows = new List<CsvRow>();
        var externalIds = new Dictionary<string, int>(StringComparer.Ordinal);
        var accountsByName = context.Accounts.GroupBy(a => a.Value, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().Key, StringComparer.OrdinalIgnoreCase);
        var total = 0;
        var duplicatesInFile = 0;
        while (reader.Read())
        {
            total++;
            var line = checked((int)reader.LineNumber);
            var record = new string[reader.FieldCount];
            for (var i = 0; i < record.Length; i++)
            {
                record[i] = reader.GetString(i);
            }

            if (malformed.Remove(line))
            {
                Add(errors, new(line, null, "A quote is misplaced: a field with commas or quotes is written \"like, this\" and a quote inside it is doubled (\"\")."));
            }
            else if (record.All(string.IsNullOrWhiteSpace))
            {
                total--;
            }
            else if (record.Length > header.Length)
            {
                Add(errors, new(line, null, $"The row has {record.Length} fields but the header has {header.Length}."));
            }
            else
            {
                var row = ReadRow(line, column => index.TryGetValue(column, out var i) && i < record.Length ? record[i] : null, context, accountsByName, errors);
                if (row is not null)
                {
                    if (externalIds.TryGetValue(row.ExternalId, out var firstLine))
                    {
                        if (row.ExternalId.StartsWith("id:", StringComparison.Ordinal))
                        {
                            Add(errors, new(line, "id", $"The id \"{Truncate(row.ExternalId[3..])}\" is already used on line {firstLine}."));
                        }
                        else
                        {
                            // The same transaction written twice: kept once, like a re-import.
                            duplicatesInFile++;
                        }
                    }
                    else
                    {
                        externalIds.Add(row.ExternalId, line);
                        rows.Add(row);
                    }
                }
            }

            if (total % 500 == 0)
            {
                progress?.Invoke(total);
            }

            if (errors.Count >= MaxErrors)
            {
                errors.Add(new(line, null, $"Stopped after {MaxErrors} errors: check that the file is in the Kryptos CSV format."));
                break;
            }
        }

        progress?.Invoke(total);
        if (total == 0 && errors.Count == 0)
        {
            errors.Add(new(0, null, "The file has a header but no rows."));
        }

        return new(errors.Count > 0 ? [] : rows, errors, total, duplicatesInFile);
    }

    private static CsvRow? ReadRow(int line, Func<string, string?> field, CsvContext context, Dictionary<string, Guid> accountsByName, List<CsvRowError> errors)
    {
        var before = errors.Count;
        void Fail(string column, string message) => Add(errors, new(line, column, message));

        if (!TransactionRules.TryParseName<TransactionType>(field("type"), out var type) || !Enum.IsDefined(type))
        {
            Fail("type", $"Unknown type \"{Truncate(field("type"))}\": use one of {string.Join(", ", Enum.GetNames<TransactionType>())}.");
        }

        if (!TransactionRules.TryParseName<TransactionLabel>(field("label"), out var label) || !Enum.IsDefined(label))
        {
            Fail("label", $"Unknown label \"{Truncate(field("label"))}\": use one of {string.Join(", ", Enum.GetNames<TransactionLabel>())}.");
        }

        if (TransactionRules.ParseTime(field("time"), context.Now, out var occurredAt) is { } timeError)
        {
            Fail("time", timeError);
        }

        var lines = new List<LineDraft>();
        foreach (var (prefix, direction) in new[] { ("in", LineDirection.In), ("out", LineDirection.Out), ("fee", LineDirection.Fee) })
        {
            var assetText = field(prefix + "_asset");
            var quantityText = field(prefix + "_quantity");
            var priceText = field(prefix + "_price");
            if (string.IsNullOrWhiteSpace(assetText) && string.IsNullOrWhiteSpace(quantityText) && string.IsNullOrWhiteSpace(priceText))
            {
                continue;
            }

            if (TransactionRules.ParseAsset(assetText, out var asset) is { } assetError)
            {
                Fail(prefix + "_asset", assetError);
            }

            if (TransactionRules.ParseDecimal(quantityText, "quantity", TransactionRules.MaxQuantity, allowZero: false, out var quantity) is { } quantityError)
            {
                Fail(prefix + "_quantity", quantityError);
            }

            decimal? unitPrice = null;
            if (!string.IsNullOrWhiteSpace(priceText))
            {
                if (TransactionRules.ParseDecimal(priceText, "unit price", TransactionRules.MaxUnitPrice, allowZero: true, out var price) is { } priceError)
                {
                    Fail(prefix + "_price", priceError);
                }

                unitPrice = price;
            }

            lines.Add(new LineDraft(direction, asset, quantity, unitPrice));
        }

        if (lines.Count == 0)
        {
            Fail("in_asset", "The row has no asset: fill in_asset/in_quantity, out_asset/out_quantity or fee_asset/fee_quantity.");
        }

        var currency = field("currency")?.Trim().ToUpperInvariant();
        if (!string.IsNullOrEmpty(currency) && currency != context.BaseCurrency)
        {
            Fail("currency", $"Prices must be in the workspace's base currency, {context.BaseCurrency}.");
        }

        Guid? counterpart = null;
        var counterpartText = field("counterpart")?.Trim();
        if (!string.IsNullOrEmpty(counterpartText))
        {
            if (Guid.TryParse(counterpartText, out var id) && context.Accounts.ContainsKey(id))
            {
                counterpart = id;
            }
            else if (accountsByName.TryGetValue(counterpartText, out var named))
            {
                counterpart = named;
            }
            else
            {
                Fail("counterpart", $"No account \"{Truncate(counterpartText)}\" in this workspace: give the name or id of one of its accounts.");
            }
        }

        var description = field("description");
        description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        if (TransactionRules.CheckText(description, PortfolioTransaction.DescriptionMaxLength, "description") is { } descriptionError)
        {
            Fail("description", descriptionError);
        }

        var idText = field("id")?.Trim();
        if (!string.IsNullOrEmpty(idText) && TransactionRules.CheckText(idText, PortfolioTransaction.ExternalIdMaxLength - 3, "id") is { } idError)
        {
            Fail("id", idError);
        }

        if (errors.Count > before)
        {
            return null;
        }

        var draft = new TransactionDraft(type, label, occurredAt, context.IntegrationId, counterpart, description, lines);
        foreach (var error in TransactionRules.Check(draft))
        {
            Fail(ColumnOf(error.Field, draft), error.Message);
        }

        return errors.Count > before ? null : new CsvRow(line, string.IsNullOrEmpty(idText) ? HashOf(draft) : "id:" + idText, draft);
    }

    /// <summary>
    /// The identity of a row without an id: a hash of its parsed values, so <c>0.50</c> and <c>0.5</c>,
    /// or a time written with another offset, are the same transaction.
    /// </summary>
    private static string HashOf(TransactionDraft draft)
    {
        var normalized = new StringBuilder()
            .Append(draft.OccurredAt.UtcTicks).Append('|').Append(draft.Type).Append('|').Append(draft.Label).Append('|')
            .Append(draft.CounterpartIntegrationId).Append('|').Append(draft.Description).Append('|');
        foreach (var line in draft.Lines)
        {
            normalized.Append(line.Direction).Append(':').Append(line.Asset).Append(':')
                .Append(line.Quantity.ToString("0.############################", CultureInfo.InvariantCulture)).Append(':')
                .Append(line.UnitPrice?.ToString("0.############################", CultureInfo.InvariantCulture)).Append('|');
        }

        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalized.ToString())));
    }

    private static string ColumnOf(string field, TransactionDraft draft) => field switch
    {
        "in" => "in_asset",
        "out" => "out_asset",
        "fee" => "fee_asset",
        "lines" => draft.Lines.Count > 0 ? "in_asset" : "type",
        "integration" => "counterpart",
        _ => field,
    };

    private static void Add(List<CsvRowError> errors, CsvRowError error)
    {
        if (errors.Count < MaxErrors)
        {
            errors.Add(error);
        }
    }

    private static string Truncate(string? text) =>
        text is null ? "" : (text.Length > 40 ? text[..40] + "…" : text).Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);

    private static CsvReaderOptions Options() => new()
    {
        Separator = ',',
        HasHeader = true,
        TrackLineNumbers = true,
        TrimWhitespace = false,
        SkipEmptyLines = true,
        // Values may be personal data: they stay out of exception messages.
        IncludeValuesInExceptions = false,
        // An unclosed quote must not make one record of the rest of a large file.
        MaxRecordSize = 64 * 1024,
        PoolStrings = false,
    };
}
