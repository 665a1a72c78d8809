using System.Globalization;
using Kryptos.Connect.Core;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;

namespace Kryptos.Connect.Portfolio.Engine;

/// <summary>
/// Computes a workspace's holdings, realized gains, income, ledger and tax years from its
/// transactions, under its cost-basis method. Pure: no database, no clock, no I/O; everything it
/// reads is in <see cref="PortfolioInput"/>. The rules are in docs/portfolio.md and decision 0010.
/// </summary>
public static class PortfolioEngine
{
    public static PortfolioSnapshot Compute(PortfolioInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new PortfolioComputation(input).Run();
    }

    /// <summary>
    /// The closes the engine will look up, per day: lines without a unit price in the base currency
    /// (income without a price, a fee in crypto, or every line after the base currency changed).
    /// </summary>
    public static IReadOnlyDictionary<DateOnly, IReadOnlySet<string>> PricesNeeded(IEnumerable<PortfolioTransaction> transactions, string baseCurrency)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var needed = new Dictionary<DateOnly, HashSet<string>>();
        foreach (var transaction in transactions)
        {
            var day = DayOf(transaction.OccurredAt);
            foreach (var line in transaction.Lines.Where(l => l.Asset != baseCurrency && !HasUsablePrice(l, baseCurrency)))
            {
                if (!needed.TryGetValue(day, out var assets))
                {
                    assets = new HashSet<string>(StringComparer.Ordinal);
                    needed[day] = assets;
                }

                assets.Add(line.Asset);
            }
        }

        return needed.ToDictionary(p => p.Key, p => (IReadOnlySet<string>)p.Value);
    }

    /// <summary>The assets that can have lots (every asset of the transactions but fiat), for today's prices.</summary>
    public static IReadOnlySet<string> AssetsToValue(IEnumerable<PortfolioTransaction> transactions, string baseCurrency)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        return transactions.SelectMany(t => t.Lines)
            .Select(l => l.Asset)
            .Where(a => !Currencies.IsFiat(a, baseCurrency))
            .ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Long term when held MORE than one year, counted in UTC calendar days: acquired 2024-03-01,
    /// disposed 2025-03-01 is short term; disposed 2025-03-02 is long term.
    /// </summary>
    public static HoldingTerm TermOf(DateTimeOffset acquiredAt, DateTimeOffset disposedAt) =>
        DayOf(disposedAt) > DayOf(acquiredAt).AddYears(1) ? HoldingTerm.LongTerm : HoldingTerm.ShortTerm;

    internal static DateOnly DayOf(DateTimeOffset time) => DateOnly.FromDateTime(time.UtcDateTime);

    internal static bool HasUsablePrice(TransactionLine line, string baseCurrency) =>
        line.UnitPrice is >= 0 && string.Equals(line.Currency, baseCurrency, StringComparison.Ordinal);

    /// <summary>
    /// Amounts in the base currency are kept to 12 decimal places (a billionth of a cent), rounded
    /// half to even where they are derived (a line's value, a lot's share of cost, a share of
    /// proceeds). Below 10^16 every sum of such amounts is then exact, so debits equal credits to
    /// the last digit and the cost of a lot is conserved however often it is split.
    /// </summary>
    internal static decimal Money(decimal amount) => Math.Round(amount, 12, MidpointRounding.ToEven);

    /// <summary>A quantity for descriptions and messages: invariant, without trailing zeros.</summary>
    internal static string Format(decimal value) => value.ToString("0.############################", CultureInfo.InvariantCulture);
}
