using Kryptos.Connect.Core;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;
using static Kryptos.Connect.Portfolio.Engine.PortfolioEngine;

namespace Kryptos.Connect.Portfolio.Engine;

/// <summary>
/// One run of the engine over a workspace's transactions, in time order. It keeps the open lots, the
/// cash balances and what it produced so far; <see cref="PortfolioEngine.Compute"/> is its only user.
/// </summary>
internal sealed class PortfolioComputation(PortfolioInput input)
{
    private readonly PortfolioInput input = input;
    private readonly string baseCurrency = input.BaseCurrency;
    private readonly LotBook book = new(input.Method);
    private readonly Dictionary<(Guid Account, string Currency), decimal> cash = [];
    private readonly Dictionary<Guid, string> names = input.Integrations.ToDictionary(i => i.Id, i => i.Name);
    private readonly List<Disposal> disposals = [];
    private readonly List<IncomeEvent> income = [];
    private readonly List<LedgerEntry> ledger = [];
    private readonly List<PortfolioWarning> warnings = [];
    private long sequence;

    public PortfolioSnapshot Run()
    {
        // Time order; transactions at the same instant in the order they were created (ids are v7).
        foreach (var transaction in input.Transactions.OrderBy(t => t.OccurredAt).ThenBy(t => t.Id))
        {
            var current = new TransactionRun(this, transaction);
            try
            {
                current.Process();
            }
            catch (OverflowException)
            {
                Warn(transaction, "Its amounts are too large to compute; it is left out of the results.");
                continue;
            }

            current.Commit();
        }

        var holdings = Holdings();
        var priced = holdings.Where(h => h.MarketValue is not null).ToList();
        var totals = new PortfolioTotals(
            holdings.Sum(h => h.CostBasis),
            priced.Sum(h => h.MarketValue!.Value),
            priced.Sum(h => h.UnrealizedPnl!.Value),
            holdings.Count);
        var sources = holdings.Where(h => h.Price is not null)
            .Select(h => input.CurrentPrices[h.Asset].Source)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var prices = new PriceInfo(sources.Count switch { 0 => "none", 1 => sources[0], _ => "mixed" }, DayOf(input.Now));

        return new PortfolioSnapshot(
            input.WorkspaceId,
            baseCurrency,
            input.Method,
            input.Now,
            prices,
            holdings,
            totals,
            disposals,
            income,
            ledger,
            TaxYears())
        {
            Cash = cash.Where(c => c.Value != 0)
                .Select(c => new CashBalance(c.Key.Account, NameOf(c.Key.Account), c.Key.Currency, c.Value))
                .OrderBy(c => c.Currency, StringComparer.Ordinal).ThenBy(c => c.IntegrationName, StringComparer.Ordinal)
                .ToList(),
            Warnings = warnings,
        };
    }

    private List<Holding> Holdings()
    {
        var rows = new List<Holding>();
        foreach (var asset in book.All.Where(l => l.Quantity > 0).GroupBy(l => l.Asset))
        {
            decimal? price = input.CurrentPrices.TryGetValue(asset.Key, out var point) && point.Currency == baseCurrency ? point.Close : null;
            var quantity = asset.Sum(l => l.Quantity);
            var cost = asset.Sum(l => l.Cost);
            var accounts = asset.GroupBy(l => l.AccountId)
                .Select(a => new AccountHolding(a.Key, NameOf(a.Key), a.Sum(l => l.Quantity), a.Sum(l => l.Cost), a.Sum(l => l.Quantity) * price))
                .OrderByDescending(a => a.Quantity).ThenBy(a => a.IntegrationName, StringComparer.Ordinal)
                .ToList();
            var value = quantity * price;
            rows.Add(new Holding(asset.Key, quantity, cost, price, value, value - cost, null, accounts));
        }

        var total = rows.Sum(h => h.MarketValue ?? 0);
        return rows
            .Select(h => h with { Allocation = h.MarketValue is { } v && total > 0 ? v / total : null })
            .OrderByDescending(h => h.MarketValue ?? -1).ThenBy(h => h.Asset, StringComparer.Ordinal)
            .ToList();
    }

    private List<TaxYearSummary> TaxYears()
    {
        var years = input.Transactions.Select(t => t.OccurredAt.UtcDateTime.Year)
            .Concat(disposals.Select(d => d.Year))
            .Concat(income.Select(i => i.Year))
            .Distinct()
            .Order();
        return years.Select(year =>
        {
            var sold = disposals.Where(d => d.Year == year).ToList();
            var received = income.Where(i => i.Year == year).ToList();
            return new TaxYearSummary(
                year,
                sold.Where(d => d.Term == HoldingTerm.ShortTerm).Sum(d => d.Gain),
                sold.Where(d => d.Term == HoldingTerm.LongTerm).Sum(d => d.Gain),
                sold.Sum(d => d.Proceeds),
                sold.Sum(d => d.CostBasis),
                received.Sum(i => i.FairValue),
                sold.Count,
                received.Count);
        }).ToList();
    }

    private string NameOf(Guid account) => names.TryGetValue(account, out var name) ? name : "Unknown account";

    private void Warn(PortfolioTransaction transaction, string message) =>
        warnings.Add(new PortfolioWarning(transaction.Id, transaction.OccurredAt, message));

    /// <summary>
    /// The processing of one transaction. Disposals, income, the ledger entry and warnings are kept
    /// aside and added by <see cref="Commit"/>, so a transaction that fails midway adds none of them.
    /// </summary>
    private sealed class TransactionRun(PortfolioComputation run, PortfolioTransaction transaction)
    {
        private readonly DateOnly day = DayOf(transaction.OccurredAt);
        private readonly List<Posting> postings = [];
        private readonly List<Disposal> disposals = [];
        private readonly List<IncomeEvent> income = [];
        private readonly List<string> warnings = [];
        private decimal gain;

        private string BaseCurrency => run.baseCurrency;

        public void Process()
        {
            var lines = new List<TransactionLine>();
            foreach (var line in transaction.Lines)
            {
                if (line.Quantity > 0)
                {
                    lines.Add(line);
                }
                else
                {
                    warnings.Add($"A {line.Asset} line has a quantity that is not positive; it is ignored.");
                }
            }

            var counterpart = transaction.CounterpartIntegrationId;
            if (transaction.Type == TransactionType.Transfer)
            {
                if (counterpart is { } to && to != transaction.IntegrationId && run.names.ContainsKey(to))
                {
                    Transfer(lines, to);
                }
                else
                {
                    warnings.Add("A transfer without another account of this workspace to arrive in counts as a withdrawal or deposit.");
                    Exchange(lines);
                }
            }
            else
            {
                Exchange(lines);
            }

            PostGain();
            Balance();
        }

        public void Commit()
        {
            run.disposals.AddRange(disposals);
            run.income.AddRange(income);
            run.ledger.Add(new LedgerEntry(transaction.Id, transaction.OccurredAt, Describe(), postings));
            foreach (var warning in warnings)
            {
                run.Warn(transaction, warning);
            }
        }

        private bool IsIncome => transaction.Type == TransactionType.Income
            || transaction.Label is TransactionLabel.StakingRewards or TransactionLabel.Airdrops or TransactionLabel.Income;

        private bool IsFiat(string asset) => Currencies.IsFiat(asset, BaseCurrency);

        /// <summary>
        /// Anything but a transfer: deposits, withdrawals, buys, sells, swaps, income, fees. In lines
        /// are acquisitions, Out lines of crypto are disposals, fee lines are fees.
        /// </summary>
        private void Exchange(List<TransactionLine> lines)
        {
            var account = transaction.IntegrationId;
            var lost = transaction.Label == TransactionLabel.Lost;
            var ins = lines.Where(l => l.Direction == LineDirection.In).ToList();
            var outs = lines.Where(l => l.Direction == LineDirection.Out).ToList();
            var fees = lines.Where(l => l.Direction == LineDirection.Fee).ToList();
            var inValues = ins.Select(Value).ToArray();

            // Something lost has no proceeds: its whole cost basis is a realized loss.
            var outValues = outs.Select(l => lost && !IsFiat(l.Asset) ? 0 : Value(l)).ToArray();

            // An exchange gives and receives the same value. When one side is fiat, its amount is exact
            // (what was paid or received); otherwise what was given is valued at its market price.
            // Fiat lines keep their amount; crypto lines share what is left by their market values.
            if (!IsIncome && !lost && ins.Count > 0 && outs.Count > 0)
            {
                var inTotal = inValues.Sum();
                var outTotal = outValues.Sum();
                var exchanged = ins.All(l => IsFiat(l.Asset)) ? inTotal
                    : outs.All(l => IsFiat(l.Asset)) ? outTotal
                    : outTotal > 0 ? outTotal : inTotal;
                Rescale(ins, inValues, exchanged);
                Rescale(outs, outValues, exchanged);
            }

            // Fees paid in fiat: part of the cost of what was acquired, else less proceeds of what was
            // disposed of, else an expense.
            var fiatFees = fees.Where(l => IsFiat(l.Asset)).Sum(Value);
            if (fiatFees != 0)
            {
                var acquired = IsIncome ? [] : CryptoIndexes(ins);
                var disposed = lost ? [] : CryptoIndexes(outs);
                if (acquired.Count > 0)
                {
                    Share(inValues, acquired, fiatFees);
                }
                else if (disposed.Count > 0)
                {
                    Share(outValues, disposed, -fiatFees);
                }
                else
                {
                    Debit("Expenses:Fees", fiatFees);
                }
            }

            for (var i = 0; i < ins.Count; i++)
            {
                var line = ins[i];
                var value = inValues[i];
                if (IsFiat(line.Asset))
                {
                    run.cash[(account, line.Asset)] = run.cash.GetValueOrDefault((account, line.Asset)) + line.Quantity;
                }
                else
                {
                    AddLot(line.Asset, account, transaction.OccurredAt, line.Quantity, value);
                }

                Debit(AssetAccount(account, line.Asset), value, line.Asset, line.Quantity);
                if (IsIncome)
                {
                    income.Add(new IncomeEvent(transaction.Id, account, transaction.OccurredAt, line.Asset, line.Quantity, value, transaction.Label));
                    Credit(IncomeAccount(transaction.Label), value);
                }
            }

            for (var i = 0; i < outs.Count; i++)
            {
                Leave(account, outs[i].Asset, outs[i].Quantity, outValues[i]);
            }

            foreach (var fee in fees)
            {
                var value = Value(fee);
                Leave(account, fee.Asset, fee.Quantity, value);
                if (!IsFiat(fee.Asset))
                {
                    // A fee paid in crypto disposes of it at its market value, and that value is the expense.
                    Debit("Expenses:Fees", value);
                }
            }
        }

        /// <summary>
        /// A move between two of the workspace's own accounts: the lots travel with their acquisition
        /// time and cost, nothing is disposed of. When both the quantity that left and the quantity
        /// that arrived are given, the difference is the network fee.
        /// </summary>
        private void Transfer(List<TransactionLine> lines, Guid to)
        {
            var from = transaction.IntegrationId;
            foreach (var asset in lines.Where(l => l.Direction != LineDirection.Fee).GroupBy(l => l.Asset))
            {
                var sent = asset.Where(l => l.Direction == LineDirection.Out).Sum(l => l.Quantity);
                var received = asset.Where(l => l.Direction == LineDirection.In).Sum(l => l.Quantity);
                var priced = asset.First();
                var moved = sent + received;
                var networkFee = 0m;
                if (sent > 0 && received > 0)
                {
                    moved = Math.Min(sent, received);
                    networkFee = sent - moved;
                    if (received > sent)
                    {
                        warnings.Add($"More {asset.Key} arrived ({Format(received)}) than left ({Format(sent)}); what left is counted.");
                    }
                }

                if (IsFiat(asset.Key))
                {
                    var value = Value(asset.Key, moved, priced);
                    run.cash[(from, asset.Key)] = run.cash.GetValueOrDefault((from, asset.Key)) - moved;
                    run.cash[(to, asset.Key)] = run.cash.GetValueOrDefault((to, asset.Key)) + moved;
                    Credit(AssetAccount(from, asset.Key), value, asset.Key, moved);
                    Debit(AssetAccount(to, asset.Key), value, asset.Key, moved);
                }
                else
                {
                    var take = Take(from, asset.Key, moved);
                    foreach (var piece in take.Pieces)
                    {
                        run.book.Add(new Lot
                        {
                            Asset = asset.Key,
                            AccountId = to,
                            AcquiredAt = piece.AcquiredAt,
                            UnitCost = piece.UnitCost,
                            Sequence = piece.Sequence,
                            Quantity = piece.Quantity,
                            Cost = piece.Cost,
                        });
                    }

                    if (take.Missing > 0)
                    {
                        // What arrives beyond what was held still arrives: at zero cost, acquired now.
                        AddLot(asset.Key, to, transaction.OccurredAt, take.Missing, 0);
                    }

                    var cost = take.Pieces.Sum(p => p.Cost);
                    Credit(AssetAccount(from, asset.Key), cost, asset.Key, moved);
                    Debit(AssetAccount(to, asset.Key), cost, asset.Key, moved);
                }

                if (networkFee > 0)
                {
                    PayFee(from, asset.Key, networkFee, Value(asset.Key, networkFee, priced));
                }
            }

            foreach (var fee in lines.Where(l => l.Direction == LineDirection.Fee))
            {
                PayFee(from, fee.Asset, fee.Quantity, Value(fee));
            }
        }

        private void PayFee(Guid account, string asset, decimal quantity, decimal value)
        {
            Leave(account, asset, quantity, value);
            Debit("Expenses:Fees", value);
        }

        /// <summary>
        /// A quantity leaves an account: fiat leaves the cash balance; crypto is a disposal for
        /// <paramref name="proceeds"/>, consuming lots in the method's order.
        /// </summary>
        private void Leave(Guid account, string asset, decimal quantity, decimal proceeds)
        {
            if (IsFiat(asset))
            {
                run.cash[(account, asset)] = run.cash.GetValueOrDefault((account, asset)) - quantity;
                Credit(AssetAccount(account, asset), proceeds, asset, quantity);
                return;
            }

            var take = Take(account, asset, quantity);
            var pieces = take.Pieces.ToList();
            if (take.Missing > 0)
            {
                pieces.Add(new LotPiece(transaction.OccurredAt, take.Missing, 0, 0, 0));
            }

            var shares = Allocate(proceeds, pieces.Select(p => p.Quantity).ToList());
            for (var i = 0; i < pieces.Count; i++)
            {
                var piece = pieces[i];
                disposals.Add(new Disposal(
                    transaction.Id,
                    account,
                    asset,
                    piece.Quantity,
                    piece.AcquiredAt,
                    transaction.OccurredAt,
                    shares[i],
                    piece.Cost,
                    shares[i] - piece.Cost,
                    TermOf(piece.AcquiredAt, transaction.OccurredAt)));
            }

            var cost = pieces.Sum(p => p.Cost);
            Credit(AssetAccount(account, asset), cost, asset, quantity);
            gain += proceeds - cost;
        }

        /// <summary>Takes lots out of an account, warning when it held too little.</summary>
        private LotTake Take(Guid account, string asset, decimal quantity)
        {
            var take = run.book.Take(asset, account, quantity);
            if (take.FromOtherAccounts > 0)
            {
                warnings.Add($"{run.NameOf(account)} held {Format(quantity - take.FromOtherAccounts - take.Missing)} {asset} when {Format(quantity)} left it; "
                    + $"{Format(take.FromOtherAccounts)} came from lots in other accounts (is a transfer missing?).");
            }

            if (take.Missing > 0)
            {
                warnings.Add($"{Format(quantity)} {asset} left {run.NameOf(account)} but the workspace held only {Format(quantity - take.Missing)}; "
                    + $"the missing {Format(take.Missing)} counts at zero cost.");
            }

            return take;
        }

        private void AddLot(string asset, Guid account, DateTimeOffset acquiredAt, decimal quantity, decimal cost) =>
            run.book.Add(new Lot
            {
                Asset = asset,
                AccountId = account,
                AcquiredAt = acquiredAt,
                UnitCost = cost / quantity,
                Sequence = run.sequence++,
                Quantity = quantity,
                Cost = cost,
            });

        private decimal Value(TransactionLine line) => Value(line.Asset, line.Quantity, line);

        /// <summary>
        /// The value in the base currency of a quantity of an asset: the line's unit price when it is
        /// in the base currency, else the price source's close that day; 0 with a warning when neither
        /// is known.
        /// </summary>
        private decimal Value(string asset, decimal quantity, TransactionLine priced)
        {
            if (asset == BaseCurrency)
            {
                return Money(quantity);
            }

            if (HasUsablePrice(priced, BaseCurrency))
            {
                return Money(quantity * priced.UnitPrice!.Value);
            }

            if (run.input.HistoricalCloses.TryGetValue(new PriceKey(asset, day), out var close))
            {
                return Money(quantity * close);
            }

            warnings.Add($"No price for {asset} on {day:yyyy-MM-dd} in {BaseCurrency}; it is valued at 0.");
            return 0;
        }

        private List<int> CryptoIndexes(List<TransactionLine> lines) =>
            Enumerable.Range(0, lines.Count).Where(i => !IsFiat(lines[i].Asset)).ToList();

        /// <summary>Makes the crypto lines of one side share what the fiat lines of that side leave of <paramref name="total"/>.</summary>
        private void Rescale(List<TransactionLine> lines, decimal[] values, decimal total)
        {
            var crypto = CryptoIndexes(lines);
            if (crypto.Count == 0)
            {
                return;
            }

            var fiat = Enumerable.Range(0, lines.Count).Except(crypto).Sum(i => values[i]);
            var shares = Allocate(Math.Max(0, total - fiat), crypto.Select(i => values[i]).ToList());
            for (var k = 0; k < crypto.Count; k++)
            {
                values[crypto[k]] = shares[k];
            }
        }

        /// <summary>Adds <paramref name="amount"/> to the given values, in proportion to them.</summary>
        private static void Share(decimal[] values, List<int> indexes, decimal amount)
        {
            var shares = Allocate(amount, indexes.Select(i => values[i]).ToList());
            for (var k = 0; k < indexes.Count; k++)
            {
                values[indexes[k]] += shares[k];
            }
        }

        /// <summary>
        /// Splits <paramref name="total"/> in proportion to <paramref name="weights"/> (equally when
        /// they are all zero); the last share is the remainder, so the shares add up exactly.
        /// </summary>
        private static decimal[] Allocate(decimal total, List<decimal> weights)
        {
            var shares = new decimal[weights.Count];
            if (shares.Length == 0)
            {
                return shares;
            }

            var sum = weights.Sum();
            var allocated = 0m;
            for (var i = 0; i < shares.Length - 1; i++)
            {
                shares[i] = Money(sum > 0 ? total * weights[i] / sum : total / shares.Length);
                allocated += shares[i];
            }

            shares[^1] = total - allocated;
            return shares;
        }

        private void PostGain()
        {
            if (gain > 0)
            {
                Credit("Income:RealizedGains", gain);
            }
            else if (gain < 0)
            {
                Debit("Expenses:RealizedLosses", -gain);
            }
        }

        /// <summary>
        /// Whatever value the lines do not explain came from the owner (a deposit from outside) or went
        /// to them (a withdrawal to outside): Equity:Contributions takes the difference.
        /// </summary>
        private void Balance()
        {
            var difference = postings.Sum(p => p.Debit) - postings.Sum(p => p.Credit);
            if (difference > 0)
            {
                Credit("Equity:Contributions", difference);
            }
            else if (difference < 0)
            {
                Debit("Equity:Contributions", -difference);
            }
        }

        private void Debit(string account, decimal amount, string? asset = null, decimal? quantity = null) =>
            Post(account, amount, asset, quantity, debit: true);

        private void Credit(string account, decimal amount, string? asset = null, decimal? quantity = null) =>
            Post(account, amount, asset, quantity, debit: false);

        private void Post(string account, decimal amount, string? asset, decimal? quantity, bool debit)
        {
            if (amount == 0 && asset is null)
            {
                return;
            }

            // A negative amount (proceeds below the fees) is the same amount on the other side.
            if (amount < 0)
            {
                (amount, debit) = (-amount, !debit);
            }

            postings.Add(debit
                ? new Posting(account, asset, quantity, amount, 0)
                : new Posting(account, asset, quantity, 0, amount));
        }

        private string AssetAccount(Guid account, string asset) => $"Assets:{run.NameOf(account).Replace(':', '-')}:{asset}";

        private static string IncomeAccount(TransactionLabel label) => label switch
        {
            TransactionLabel.StakingRewards => "Income:StakingRewards",
            TransactionLabel.Airdrops => "Income:Airdrops",
            _ => "Income:Other",
        };

        private string Describe()
        {
            if (!string.IsNullOrWhiteSpace(transaction.Description))
            {
                return transaction.Description;
            }

            var lines = transaction.Lines.Select(l => l.Direction switch
            {
                LineDirection.In => $"+{Format(l.Quantity)} {l.Asset}",
                LineDirection.Out => $"-{Format(l.Quantity)} {l.Asset}",
                _ => $"fee {Format(l.Quantity)} {l.Asset}",
            });
            return $"{transaction.Label}: {string.Join(", ", lines)}";
        }
    }
}
