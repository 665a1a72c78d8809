using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Transactions;

namespace Kryptos.Connect.Portfolio.Demo;

/// <summary>One account of the demo data set.</summary>
public sealed record DemoIntegration(string Key, IntegrationKind Kind, string ProviderId, string Name, string? Chain, string? Address);

/// <summary>One asset line of a demo transaction; the unit price is the demo close in the chosen currency.</summary>
public sealed record DemoLine(LineDirection Direction, string Asset, decimal Quantity, decimal UnitPrice);

/// <summary>
/// One transaction of the demo data set. <see cref="Account"/> and <see cref="Counterpart"/> are
/// <see cref="DemoIntegration.Key"/>s. A transfer has an Out line (leaving <see cref="Account"/>), an In line
/// of the same quantity (arriving in <see cref="Counterpart"/>) and the network fee as a Fee line.
/// </summary>
public sealed record DemoTransaction(
    string ExternalId,
    string Account,
    string? Counterpart,
    TransactionType Type,
    TransactionLabel Label,
    DateTimeOffset OccurredAt,
    string Description,
    IReadOnlyList<DemoLine> Lines);

/// <summary>The whole demo data set, priced in one currency.</summary>
public sealed record DemoDataSet(string Currency, IReadOnlyList<DemoIntegration> Accounts, IReadOnlyList<DemoTransaction> Transactions);

/// <summary>
/// The deterministic demo data set: a person's two years (<see cref="FirstDay"/> to
/// <see cref="LastDay"/>) across a Coinbase and a Kraken account, a Ledger wallet on Ethereum and a
/// Phantom wallet on Solana: monthly fiat deposits, weekly and monthly buys with trading fees,
/// quarterly sells, swaps with network fees, transfers between the accounts, monthly ETH and SOL
/// staking rewards, an airdrop, fiat withdrawals and a DOT position sold at a loss. Unit prices are the
/// demo snapshot's closes (<see cref="DemoPrices"/>). No clock and no randomness: the same set every
/// run; the constants below are facts other tests rely on (a unit test recomputes them).
/// </summary>
public static class DemoPortfolio
{
    public static readonly DateOnly FirstDay = new(2024, 1, 1);
    public static readonly DateOnly LastDay = new(2025, 12, 31);

    /// <summary>How many transactions the set has, and of which label.</summary>
    public const int TransactionCount = 315;
    public const int DepositCount = 49;
    public const int BuyCount = 183;
    public const int SellCount = 10;
    public const int SwapCount = 10;
    public const int TransferCount = 16;
    public const int StakingRewardCount = 44;
    public const int AirdropCount = 1;
    public const int WithdrawalCount = 2;

    /// <summary>
    /// The sale at a loss: all 118.79870747 DOT bought on 2024-03-04 at 8.4176 USD (1,000 USD + 2.60
    /// fee) sold on 2025-09-08 at 5.3907 USD (640.41 USD − 1.67 fee): a loss of 363.86 USD.
    /// </summary>
    public static readonly DateTimeOffset LossSaleAt = new(2025, 9, 8, 11, 0, 0, TimeSpan.Zero);

    /// <summary>What the workspace holds at the end, all accounts together (fees deducted).</summary>
    public static IReadOnlyDictionary<string, decimal> FinalQuantities { get; } = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["BTC"] = 0.26473411m,
        ["ETH"] = 3.89177387m, // 0.13702684 on Kraken + 3.75474703 on the Ledger
        ["SOL"] = 55.06018203m, // 1.76015246 on Kraken + 53.30002957 on Phantom
        ["USDC"] = 2_489.296817m,
        ["LINK"] = 332.71503m,
        ["ADA"] = 471.9986784m,
        ["USD"] = 42_588.43m, // 17,494.05 on Coinbase + 25,094.38 on Kraken
    };

    public const string Coinbase = "coinbase";
    public const string Kraken = "kraken";
    public const string Ledger = "ledger";
    public const string Phantom = "phantom";

    /// <summary>The accounts, each created once per workspace and recognised again by provider and name.</summary>
    public static IReadOnlyList<DemoIntegration> Accounts { get; } =
    [
        new(Coinbase, IntegrationKind.Exchange, "coinbase", "Coinbase (demo)", null, null),
        new(Kraken, IntegrationKind.Exchange, "kraken", "Kraken (demo)", null, null),
        new(Ledger, IntegrationKind.Wallet, "ledger", "Ledger · Ethereum (demo)", "ethereum", "0xde30000000000000000000000000000000000001"),
        new(Phantom, IntegrationKind.Wallet, "phantom", "Phantom · Solana (demo)", "solana", "DemoWa11etSo1ana111111111111111111111111111"),
    ];

    /// <summary>The data set with unit prices in <paramref name="currency"/> (a currency of <see cref="DemoPrices.UsdRates"/>).</summary>
    public static DemoDataSet Build(string currency)
    {
        ArgumentNullException.ThrowIfNull(currency);
        if (!DemoPrices.UsdRates.ContainsKey(currency))
        {
            throw new ArgumentOutOfRangeException(nameof(currency), currency, "The demo snapshot has no rate for this currency.");
        }

        var book = new Book(currency);
        for (var day = FirstDay; day <= LastDay; day = day.AddDays(1))
        {
            PlanDay(book, day);
        }

        // Planned day by day; within a day, listed by time. Ids follow that order.
        var ordered = book.Transactions
            .Select((t, i) => (Transaction: t, Index: i))
            .OrderBy(x => x.Transaction.OccurredAt).ThenBy(x => x.Index)
            .Select((x, i) => x.Transaction with { ExternalId = $"demo-{i + 1:0000}" })
            .ToList();
        return new DemoDataSet(currency, Accounts, ordered);
    }

    private static void PlanDay(Book book, DateOnly day)
    {
        // Coinbase: $1,500 arrives on the 1st; $250 of BTC every Monday (1.49 % fee); a tenth of the
        // BTC sold at each quarter's end (0.6 % fee); $2,000 back to the bank before each Christmas.
        if (day.Day == 1)
        {
            book.Deposit(Coinbase, day, 9, 1_500m);
        }

        if (day.DayOfWeek == DayOfWeek.Monday)
        {
            book.Buy(Coinbase, day, 15, "BTC", 250m, 0.0149m);
        }

        if (IsQuarterEnd(day))
        {
            book.Sell(Coinbase, day, 16, "BTC", book.Balance(Coinbase, "BTC") / 10m, 0.006m);
        }

        if (day is { Month: 12, Day: 20 })
        {
            book.Withdraw(Coinbase, day, 10, 2_000m);
        }

        // Kraken: $3,000 to open it, then $2,000 on the 15th; $300 of ETH every other Friday, $400 of SOL on the 20th (0.26 %
        // fee); $1,000 of DOT in March 2024, all sold in September 2025 (the loss); ADA bought once and
        // half of it sold later.
        if (day == FirstDay.AddDays(1))
        {
            book.Deposit(Kraken, day, 9, 3_000m);
        }

        if (day.Day == 15)
        {
            book.Deposit(Kraken, day, 9, 2_000m);
        }

        if (day.DayOfWeek == DayOfWeek.Friday && (day.DayNumber / 7) % 2 == 0)
        {
            book.Buy(Kraken, day, 14, "ETH", 300m, 0.0026m);
        }

        if (day.Day == 20)
        {
            book.Buy(Kraken, day, 14, "SOL", 400m, 0.0026m);
        }

        if (day == new DateOnly(2024, 3, 4))
        {
            book.Buy(Kraken, day, 11, "DOT", 1_000m, 0.0026m);
        }

        if (day == new DateOnly(2025, 9, 8))
        {
            book.Sell(Kraken, day, 11, "DOT", book.Balance(Kraken, "DOT"), 0.0026m);
        }

        if (day == new DateOnly(2024, 11, 11))
        {
            book.Buy(Kraken, day, 12, "ADA", 600m, 0.0026m);
        }

        if (day == new DateOnly(2025, 6, 16))
        {
            book.Sell(Kraken, day, 12, "ADA", book.Balance(Kraken, "ADA") / 2m, 0.0026m);
        }

        // Self custody: at each quarter's end most of Kraken's ETH goes to the Ledger and its SOL to
        // Phantom, each paying the chain's network fee.
        if (IsQuarterEnd(day))
        {
            book.Transfer(Kraken, Ledger, day, 18, "ETH", Floor(book.Balance(Kraken, "ETH") * 0.8m, 6), 0.0021m);
            book.Transfer(Kraken, Phantom, day, 19, "SOL", Floor(book.Balance(Kraken, "SOL") * 0.8m, 6), 0.000005m);
        }

        // Staking rewards on the last day of each month, once the wallets hold something:
        // 0.3 % a month of the ETH on the Ledger, 0.55 % of the SOL on Phantom.
        if (day.AddDays(1).Day == 1)
        {
            book.Reward(Ledger, day, 23, "ETH", Floor(book.Balance(Ledger, "ETH") * 0.003m, 8));
            book.Reward(Phantom, day, 23, "SOL", Floor(book.Balance(Phantom, "SOL") * 0.0055m, 8));
        }

        // On-chain swaps: twice a year, a fifth of the Ledger's ETH for LINK, and a quarter of
        // Phantom's SOL for USDC (and back, a quarter later).
        if (day is { Month: 2 or 8, Day: 10 })
        {
            book.Swap(Ledger, day, 13, "ETH", Floor(book.Balance(Ledger, "ETH") / 5m, 6), "LINK", "ETH", 0.0035m);
        }

        if (day is { Month: 5 or 11, Day: 5 })
        {
            book.Swap(Phantom, day, 13, "SOL", Floor(book.Balance(Phantom, "SOL") / 4m, 6), "USDC", "SOL", 0.00001m);
        }

        if (day is { Month: 8 or 2, Day: 5 } && book.Balance(Phantom, "USDC") > 0m)
        {
            book.Swap(Phantom, day, 13, "USDC", book.Balance(Phantom, "USDC"), "SOL", "SOL", 0.00001m);
        }

        // One airdrop: 42 LINK to the Ledger.
        if (day == new DateOnly(2024, 10, 2))
        {
            book.Airdrop(Ledger, day, 8, "LINK", 42m);
        }
    }

    private static bool IsQuarterEnd(DateOnly day) => day.Month % 3 == 0 && day.AddDays(1).Day == 1;

    private static decimal Floor(decimal value, int decimals)
    {
        var factor = (decimal)Math.Pow(10, decimals);
        return decimal.Floor(value * factor) / factor;
    }

    /// <summary>Writes the transactions and keeps every account's balance, refusing to overdraw one.</summary>
    private sealed class Book(string currency)
    {
        private readonly Dictionary<(string Account, string Asset), decimal> balances = [];

        public List<DemoTransaction> Transactions { get; } = [];

        public decimal Balance(string account, string asset) => balances.GetValueOrDefault((account, asset));

        public void Deposit(string account, DateOnly day, int hour, decimal usd) =>
            Add(account, null, TransactionType.Deposit, TransactionLabel.Deposit, day, hour, $"Bank deposit of {usd:0} USD",
                [In("USD", usd, day)]);

        public void Withdraw(string account, DateOnly day, int hour, decimal usd) =>
            Add(account, null, TransactionType.Withdrawal, TransactionLabel.Withdrawal, day, hour, $"Withdrawal of {usd:0} USD to the bank",
                [Out("USD", usd, day)]);

        public void Buy(string account, DateOnly day, int hour, string asset, decimal usd, decimal feeRate)
        {
            var quantity = Floor(usd / DemoPrices.UsdClose(asset, day), 8);
            var fee = decimal.Round(usd * feeRate, 2);
            Add(account, null, TransactionType.Trade, TransactionLabel.Buy, day, hour, $"Buy {asset}",
                [In(asset, quantity, day), Out("USD", usd, day), Fee("USD", fee, day)]);
        }

        public void Sell(string account, DateOnly day, int hour, string asset, decimal quantity, decimal feeRate)
        {
            quantity = Floor(quantity, 8);
            if (quantity <= 0m)
            {
                return;
            }

            var proceeds = decimal.Round(quantity * DemoPrices.UsdClose(asset, day), 2);
            var fee = decimal.Round(proceeds * feeRate, 2);
            Add(account, null, TransactionType.Trade, TransactionLabel.Sell, day, hour, $"Sell {asset}",
                [Out(asset, quantity, day), In("USD", proceeds, day), Fee("USD", fee, day)]);
        }

        public void Swap(string account, DateOnly day, int hour, string from, decimal quantity, string to, string feeAsset, decimal fee)
        {
            if (quantity <= 0m)
            {
                return;
            }

            var received = Floor(quantity * DemoPrices.UsdClose(from, day) / DemoPrices.UsdClose(to, day) * 0.997m, 6);
            Add(account, null, TransactionType.Trade, TransactionLabel.Swap, day, hour, $"Swap {from} for {to}",
                [Out(from, quantity, day), In(to, received, day), Fee(feeAsset, fee, day)]);
        }

        public void Transfer(string from, string to, DateOnly day, int hour, string asset, decimal quantity, decimal networkFee)
        {
            if (quantity <= 0m)
            {
                return;
            }

            Transactions.Add(Checked(new DemoTransaction(Id(), from, to, TransactionType.Transfer, TransactionLabel.Transfer, At(day, hour),
                $"Move {asset} to self custody", [Out(asset, quantity, day), In(asset, quantity, day), Fee(asset, networkFee, day)])));
        }

        public void Reward(string account, DateOnly day, int hour, string asset, decimal quantity)
        {
            if (quantity > 0m)
            {
                Add(account, null, TransactionType.Income, TransactionLabel.StakingRewards, day, hour, $"{asset} staking rewards",
                    [In(asset, quantity, day)]);
            }
        }

        public void Airdrop(string account, DateOnly day, int hour, string asset, decimal quantity) =>
            Add(account, null, TransactionType.Income, TransactionLabel.Airdrops, day, hour, $"{asset} community airdrop",
                [In(asset, quantity, day)]);

        private void Add(string account, string? counterpart, TransactionType type, TransactionLabel label, DateOnly day, int hour, string description, DemoLine[] lines) =>
            Transactions.Add(Checked(new DemoTransaction(Id(), account, counterpart, type, label, At(day, hour), description, lines)));

        /// <summary>Applies the transaction to the balances; an overdrawn account is a bug in the plan.</summary>
        private DemoTransaction Checked(DemoTransaction transaction)
        {
            foreach (var line in transaction.Lines)
            {
                var account = line.Direction == LineDirection.In && transaction.Counterpart is { } to ? to : transaction.Account;
                var key = (account, line.Asset);
                var balance = Balance(account, line.Asset) + (line.Direction == LineDirection.In ? line.Quantity : -line.Quantity);
                if (balance < 0m)
                {
                    throw new InvalidOperationException($"The demo plan overdraws {line.Asset} in {account} on {transaction.OccurredAt:O}.");
                }

                balances[key] = balance;
            }

            return transaction;
        }

        /// <summary>A placeholder; <see cref="Build"/> numbers the transactions in time order.</summary>
        private static string Id() => "";

        private static DateTimeOffset At(DateOnly day, int hour) => new(day.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

        private DemoLine In(string asset, decimal quantity, DateOnly day) => new(LineDirection.In, asset, quantity, Price(asset, day));

        private DemoLine Out(string asset, decimal quantity, DateOnly day) => new(LineDirection.Out, asset, quantity, Price(asset, day));

        private DemoLine Fee(string asset, decimal quantity, DateOnly day) => new(LineDirection.Fee, asset, quantity, Price(asset, day));

        private decimal Price(string asset, DateOnly day) => DemoPrices.Close(asset, currency, day)!.Close;
    }
}
