using System.Globalization;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;

namespace Kryptos.Connect.Portfolio.Reports;

/// <summary>The columns and rows of each report kind: text, decimals (numbers), times in ISO 8601 UTC.</summary>
public static class ReportRows
{
    public static readonly IReadOnlyList<string> CapitalGainsHeader =
        ["disposed_at", "acquired_at", "asset", "quantity", "proceeds", "cost_basis", "gain", "term", "currency", "account", "transaction_id"];

    public static readonly IReadOnlyList<string> IncomeHeader =
        ["received_at", "asset", "quantity", "fair_value", "currency", "label", "account", "transaction_id"];

    public static readonly IReadOnlyList<string> TransactionHistoryHeader =
        ["occurred_at", "transaction_id", "type", "label", "account", "counterpart", "direction", "asset", "quantity", "unit_price", "currency", "description", "external_id"];

    public static List<IReadOnlyList<object?>> CapitalGains(PortfolioSnapshot snapshot, int year, IReadOnlyDictionary<Guid, string> accounts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Disposals.Where(d => d.Year == year).Select(d => (IReadOnlyList<object?>)
        [
            Time(d.DisposedAt), Time(d.AcquiredAt), d.Asset, d.Quantity, d.Proceeds, d.CostBasis, d.Gain,
            d.Term == HoldingTerm.LongTerm ? "long" : "short", snapshot.BaseCurrency, accounts.GetValueOrDefault(d.IntegrationId), d.TransactionId.ToString(),
        ]).ToList();
    }

    public static List<IReadOnlyList<object?>> Income(PortfolioSnapshot snapshot, int year, IReadOnlyDictionary<Guid, string> accounts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Income.Where(i => i.Year == year).Select(i => (IReadOnlyList<object?>)
        [
            Time(i.ReceivedAt), i.Asset, i.Quantity, i.FairValue, snapshot.BaseCurrency, i.Label.ToString(),
            accounts.GetValueOrDefault(i.IntegrationId), i.TransactionId.ToString(),
        ]).ToList();
    }

    /// <summary>One row per line of every transaction, in time order.</summary>
    public static List<IReadOnlyList<object?>> TransactionHistory(IEnumerable<PortfolioTransaction> transactions, IReadOnlyDictionary<Guid, string> accounts)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        return transactions.OrderBy(t => t.OccurredAt).ThenBy(t => t.Id).SelectMany(t => t.Lines.Select(l => (IReadOnlyList<object?>)
        [
            Time(t.OccurredAt), t.Id.ToString(), t.Type.ToString(), t.Label.ToString(), accounts.GetValueOrDefault(t.IntegrationId),
            t.CounterpartIntegrationId is { } to ? accounts.GetValueOrDefault(to) : null,
            l.Direction.ToString(), l.Asset, l.Quantity, l.UnitPrice, l.Currency,
            t.Description, t.ExternalId,
        ])).ToList();
    }

    private static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
