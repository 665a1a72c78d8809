using System.Globalization;
using System.Text.RegularExpressions;

namespace Kryptos.Connect.Portfolio.Transactions;

/// <summary>A rule a transaction breaks: which part (<c>type</c>, <c>label</c>, <c>time</c>, <c>counterpart</c>, <c>in</c>, <c>out</c>, <c>fee</c>, <c>lines</c>) and why.</summary>
public sealed record RuleError(string Field, string Message);

/// <summary>One asset line of a transaction being written, already parsed.</summary>
public sealed record LineDraft(LineDirection Direction, string Asset, decimal Quantity, decimal? UnitPrice);

/// <summary>A transaction being written (a form or a CSV row), already parsed.</summary>
public sealed record TransactionDraft(
    TransactionType Type,
    TransactionLabel Label,
    DateTimeOffset OccurredAt,
    Guid IntegrationId,
    Guid? CounterpartIntegrationId,
    string? Description,
    IReadOnlyList<LineDraft> Lines);

/// <summary>
/// The rules every way of writing a transaction shares (the manual form and the CSV import), so that
/// both say the same thing about the same mistake: how values are written (decimals with a dot, ISO
/// 8601 times, upper-case asset symbols), their bounds, and which labels and lines fit which type.
/// </summary>
public static partial class TransactionRules
{
    /// <summary>Quantities go up to a quadrillion (meme-coin supplies reach the hundreds of trillions).</summary>
    public const decimal MaxQuantity = 1_000_000_000_000_000m;

    /// <summary>Unit prices go up to a trillion in the base currency.</summary>
    public const decimal MaxUnitPrice = 1_000_000_000_000m;

    /// <summary>18 decimal places: the precision of an ERC-20 token (wei).</summary>
    public const int MaxDecimals = 18;

    public const int MaxLines = 20;

    /// <summary>The Bitcoin genesis block: nothing crypto happened before.</summary>
    public static readonly DateTimeOffset Earliest = new(2009, 1, 3, 0, 0, 0, TimeSpan.Zero);

    private static readonly string[] TimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mmK", "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm",
    ];

    /// <summary>The labels that fit each type.</summary>
    public static IReadOnlyList<TransactionLabel> LabelsFor(TransactionType type) => type switch
    {
        TransactionType.Deposit => [TransactionLabel.Deposit, TransactionLabel.Buy, TransactionLabel.Gift],
        TransactionType.Withdrawal => [TransactionLabel.Withdrawal, TransactionLabel.Sell, TransactionLabel.Gift, TransactionLabel.Lost],
        TransactionType.Trade => [TransactionLabel.Buy, TransactionLabel.Sell, TransactionLabel.Swap],
        TransactionType.Transfer => [TransactionLabel.Transfer],
        TransactionType.Income => [TransactionLabel.StakingRewards, TransactionLabel.Airdrops, TransactionLabel.Income],
        TransactionType.Fee => [TransactionLabel.Fee],
        _ => [],
    };

    /// <summary>Parses an enum name case-insensitively, ignoring spaces and underscores (<c>staking rewards</c>, <c>STAKING_REWARDS</c>).</summary>
    public static bool TryParseName<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        var compact = (text ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        return compact.Length > 0 && compact.All(char.IsAsciiLetter) && Enum.TryParse(compact, ignoreCase: true, out value);
    }

    /// <summary>Null when <paramref name="text"/> is an asset symbol (trimmed, upper-cased): 1-16 of A-Z and 0-9.</summary>
    public static string? ParseAsset(string? text, out string asset)
    {
        asset = (text ?? "").Trim().ToUpperInvariant();
        return asset.Length == 0 ? "Enter the asset's symbol, e.g. BTC."
            : AssetPattern().IsMatch(asset) ? null
            : "An asset symbol is 1 to 16 letters or digits, e.g. BTC or USDC.";
    }

    /// <summary>
    /// Null when <paramref name="text"/> is a decimal written with a dot, no sign, no exponent, no
    /// thousands separator, at most 18 decimal places, and within (0, <paramref name="max"/>]
    /// (0 allowed when <paramref name="allowZero"/>).
    /// </summary>
    public static string? ParseDecimal(string? text, string what, decimal max, bool allowZero, out decimal value)
    {
        value = 0;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            return $"Enter the {what}.";
        }

        if (trimmed.StartsWith('-'))
        {
            return allowZero ? $"The {what} cannot be negative." : $"The {what} must be greater than 0.";
        }

        var match = DecimalPattern().Match(trimmed);
        if (!match.Success)
        {
            return $"The {what} must be a number like 1234.5 (a dot for decimals, no thousands separators).";
        }

        if (match.Groups["fraction"].Length > MaxDecimals)
        {
            return $"The {what} can have at most {MaxDecimals} decimal places.";
        }

        if (match.Groups["whole"].Value.TrimStart('0').Length > 16
            || !decimal.TryParse(trimmed, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value)
            || value > max)
        {
            value = 0;
            return $"The {what} can be at most {max.ToString("#,0", CultureInfo.InvariantCulture)}.";
        }

        return value == 0 && !allowZero ? $"The {what} must be greater than 0." : null;
    }

    /// <summary>
    /// Null when <paramref name="text"/> is an ISO 8601 time between the genesis block and a day after
    /// <paramref name="now"/>; without an offset it is UTC.
    /// </summary>
    public static string? ParseTime(string? text, DateTimeOffset now, out DateTimeOffset value)
    {
        value = default;
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0)
        {
            return "Enter when it happened (UTC).";
        }

        if (!DateTimeOffset.TryParseExact(trimmed, TimeFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value))
        {
            return "The time must be ISO 8601, e.g. 2024-03-01T14:30:00Z.";
        }

        if (value < Earliest || value > now.AddDays(1))
        {
            value = default;
            return $"The time must be between {Earliest:yyyy-MM-dd} and today.";
        }

        return null;
    }

    /// <summary>Null when a free text is at most <paramref name="max"/> characters with no control characters.</summary>
    public static string? CheckText(string? text, int max, string what) =>
        text is null ? null
        : text.Length > max ? $"The {what} can be at most {max} characters."
        : text.Any(char.IsControl) ? $"The {what} cannot contain control characters."
        : null;

    /// <summary>The rules of the transaction as a whole: label for the type, lines for the type, the counterpart of transfers.</summary>
    public static List<RuleError> Check(TransactionDraft draft)
    {
        ArgumentNullException.ThrowIfNull(draft);
        var errors = new List<RuleError>();
        if (!Enum.IsDefined(draft.Type))
        {
            errors.Add(new("type", "Choose a type."));
            return errors;
        }

        var labels = LabelsFor(draft.Type);
        if (!labels.Contains(draft.Label))
        {
            errors.Add(new("label", $"A {draft.Type} is labelled {string.Join(", ", labels.Select(Describe))}."));
        }

        var ins = draft.Lines.Count(l => l.Direction == LineDirection.In);
        var outs = draft.Lines.Count(l => l.Direction == LineDirection.Out);
        var fees = draft.Lines.Count(l => l.Direction == LineDirection.Fee);
        if (draft.Lines.Count > MaxLines)
        {
            errors.Add(new("lines", $"A transaction has at most {MaxLines} lines."));
        }

        switch (draft.Type)
        {
            case TransactionType.Deposit or TransactionType.Income when ins == 0:
                errors.Add(new("in", $"A {draft.Type} needs an incoming asset."));
                break;
            case TransactionType.Withdrawal or TransactionType.Transfer when outs == 0:
                errors.Add(new("out", $"A {draft.Type} needs an outgoing asset."));
                break;
            case TransactionType.Trade when ins == 0 || outs == 0:
                errors.Add(new(ins == 0 ? "in" : "out", "A trade needs both an incoming and an outgoing asset."));
                break;
            case TransactionType.Fee when fees == 0:
                errors.Add(new("fee", "A fee transaction needs a fee line."));
                break;
        }

        if (ins > 0 && draft.Type is TransactionType.Withdrawal or TransactionType.Transfer or TransactionType.Fee)
        {
            errors.Add(new("in", draft.Type == TransactionType.Transfer
                ? "A transfer has only an outgoing asset: it arrives, the same quantity, in the counterpart account."
                : $"A {draft.Type} has no incoming asset."));
        }

        if (outs > 0 && draft.Type is TransactionType.Deposit or TransactionType.Income or TransactionType.Fee)
        {
            errors.Add(new("out", $"A{(draft.Type == TransactionType.Income ? "n" : "")} {draft.Type} has no outgoing asset."));
        }

        if (draft.Type == TransactionType.Trade && ins > 0 && outs > 0
            && draft.Lines.Where(l => l.Direction == LineDirection.In).Select(l => l.Asset)
                .Intersect(draft.Lines.Where(l => l.Direction == LineDirection.Out).Select(l => l.Asset)).Any())
        {
            errors.Add(new("in", "A trade exchanges one asset for another: the incoming and outgoing assets differ."));
        }

        if (draft.Type == TransactionType.Transfer)
        {
            if (draft.CounterpartIntegrationId is not { } counterpart)
            {
                errors.Add(new("counterpart", "A transfer needs the account the assets arrive in."));
            }
            else if (counterpart == draft.IntegrationId)
            {
                errors.Add(new("counterpart", "A transfer goes to a different account than the one it leaves."));
            }
        }
        else if (draft.CounterpartIntegrationId is not null)
        {
            errors.Add(new("counterpart", "Only transfers have a counterpart account."));
        }

        return errors;
    }

    /// <summary>How a label is written for people: <c>StakingRewards</c> → <c>Staking rewards</c>.</summary>
    public static string Describe(TransactionLabel label) => label switch
    {
        TransactionLabel.StakingRewards => "Staking rewards",
        _ => label.ToString(),
    };

    [GeneratedRegex("^[A-Z0-9]{1,16}$")]
    private static partial Regex AssetPattern();

    [GeneratedRegex(@"^(?<whole>[0-9]+)(\.(?<fraction>[0-9]+))?$|^\.(?<fraction>[0-9]+)$")]
    private static partial Regex DecimalPattern();
}
