using System.Globalization;
using System.Net;
using System.Text.Json;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Reports;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.ConnectApi.Portfolio;

/// <summary>
/// A small set of books whose every number is worked out by hand below, written into the workspace an
/// app was granted. Base currency USD. Prices for valuation are imported for yesterday, today and
/// tomorrow (so that a run across midnight still finds them): BTC 80,000 and ETH 3,000.
/// <code>
/// T1 2024-01-10 Kraken  deposit  +100,000 USD
/// T2 2024-01-15 Kraken  buy      +1 BTC @ 30,000, −30,000 USD, fee 30 USD  → lot A: 1 BTC, cost 30,030
/// T3 2024-06-01 Kraken  buy      +1 BTC @ 50,000, −50,000 USD             → lot B: 1 BTC, cost 50,000
/// T4 2025-01-20 Kraken  sell     −1.5 BTC @ 60,000, +90,000 USD, fee 90 USD → proceeds 89,910
/// T5 2025-03-05 Kraken  staking  +0.1 ETH @ 2,000                          → income 200; lot C: 0.1 ETH, cost 200
/// T6 2025-04-01 Kraken  sell     −0.05 ETH @ 1,500, +75 USD                → proceeds 75, cost 100: loss 25 (short)
/// T7 2025-05-01 Kraken → Ledger transfer 0.02 ETH                          → not a disposal; lots move at cost
/// </code>
/// FIFO, T4 (proceeds shared by quantity: 59,940 for 1 BTC, 29,970 for 0.5 BTC):
/// lot A 1 BTC, held 2024-01-15 → 2025-01-20 (more than a year): long, gain 59,940 − 30,030 = 29,910;
/// lot B 0.5 BTC, held since 2024-06-01: short, gain 29,970 − 25,000 = 4,970.
/// 2025 under FIFO: short 4,970 − 25 = 4,945; long 29,910; realized 34,855; proceeds 89,985;
/// cost basis 55,130; income 200; 3 disposal rows; 1 income event.
/// Holdings under FIFO: BTC 0.5 (lot B) cost 25,000, value 40,000, P&amp;L 15,000; ETH 0.05 cost 100, value
/// 150, P&amp;L 50, split Kraken 0.03 (cost 60, value 90) and Ledger 0.02 (cost 40, value 60).
/// Totals: cost 25,100, value 40,150, P&amp;L 15,050; allocation BTC 40,000 / 40,150 = 0.9963, ETH 0.0037.
/// HIFO, T4: lot B first (50,000 a BTC): 1 BTC, short, 59,940 − 50,000 = 9,940; then 0.5 of lot A, long,
/// 29,970 − 15,015 = 14,955. 2025: short 9,940 − 25 = 9,915; long 14,955; realized 24,870; cost 65,115.
/// </summary>
public sealed class HandCheckedBooks
{
    public required Guid WorkspaceId { get; init; }
    public required Guid Kraken { get; init; }
    public required Guid Ledger { get; init; }
    public required IReadOnlyList<Guid> Transactions { get; init; }
    public required Guid Report { get; init; }

    public const string ReportCsv = "asset,gain\nBTC,29910.00\n";

    /// <summary>Writes the books into <paramref name="workspaceId"/> and drops its cached views.</summary>
    public static async Task<HandCheckedBooks> WriteAsync(KryptosFactory factory, Guid workspaceId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var now = DateTimeOffset.UtcNow;
        var kraken = new Integration { WorkspaceId = workspaceId, Kind = IntegrationKind.Exchange, ProviderId = "kraken", Name = "Kraken", SyncStatus = SyncStatus.Synced, LastSyncedAt = now, CreatedAt = now, UpdatedAt = now };
        var ledger = new Integration { WorkspaceId = workspaceId, Kind = IntegrationKind.Wallet, ProviderId = "ledger", Chain = "ethereum", Address = "0x52908400098527886E0F7030069857D2E4169EE7", Name = "Ledger", CreatedAt = now, UpdatedAt = now };
        var transactions = new List<PortfolioTransaction>
        {
            Tx(workspaceId, kraken.Id, "2024-01-10", TransactionType.Deposit, TransactionLabel.Deposit, now, ("In", "USD", 100_000m, 1m)),
            Tx(workspaceId, kraken.Id, "2024-01-15", TransactionType.Trade, TransactionLabel.Buy, now, ("In", "BTC", 1m, 30_000m), ("Out", "USD", 30_000m, 1m), ("Fee", "USD", 30m, 1m)),
            Tx(workspaceId, kraken.Id, "2024-06-01", TransactionType.Trade, TransactionLabel.Buy, now, ("In", "BTC", 1m, 50_000m), ("Out", "USD", 50_000m, 1m)),
            Tx(workspaceId, kraken.Id, "2025-01-20", TransactionType.Trade, TransactionLabel.Sell, now, ("Out", "BTC", 1.5m, 60_000m), ("In", "USD", 90_000m, 1m), ("Fee", "USD", 90m, 1m)),
            Tx(workspaceId, kraken.Id, "2025-03-05", TransactionType.Income, TransactionLabel.StakingRewards, now, ("In", "ETH", 0.1m, 2_000m)),
            Tx(workspaceId, kraken.Id, "2025-04-01", TransactionType.Trade, TransactionLabel.Sell, now, ("Out", "ETH", 0.05m, 1_500m), ("In", "USD", 75m, 1m)),
            Tx(workspaceId, kraken.Id, "2025-05-01", TransactionType.Transfer, TransactionLabel.Transfer, now, ("Out", "ETH", 0.02m, 2_500m), ("In", "ETH", 0.02m, 2_500m)),
        };
        transactions[^1].CounterpartIntegrationId = ledger.Id;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var report = new Report
        {
            WorkspaceId = workspaceId,
            Kind = ReportKind.CapitalGains,
            Year = 2025,
            Status = Kryptos.Connect.Portfolio.Importing.JobStatus.Succeeded,
            Progress = 100,
            RowCount = 1,
            Content = System.Text.Encoding.UTF8.GetBytes(ReportCsv),
            CreatedAt = now,
            CompletedAt = now,
        };
        await factory.WithDbAsync(async db =>
        {
            db.Integrations.AddRange(kraken, ledger);
            db.Transactions.AddRange(transactions);
            foreach (var day in new[] { today.AddDays(-1), today, today.AddDays(1) })
            {
                db.PriceQuotes.AddRange(
                    new PriceQuote { WorkspaceId = workspaceId, Asset = "BTC", Currency = "USD", Date = day, Close = 80_000m, ImportedAt = now },
                    new PriceQuote { WorkspaceId = workspaceId, Asset = "ETH", Currency = "USD", Date = day, Close = 3_000m, ImportedAt = now });
            }

            db.Reports.Add(report);
            return await db.SaveChangesAsync();
        });
        Invalidate(factory, workspaceId);
        return new HandCheckedBooks
        {
            WorkspaceId = workspaceId,
            Kraken = kraken.Id,
            Ledger = ledger.Id,
            Transactions = [.. transactions.Select(t => t.Id)],
            Report = report.Id,
        };
    }

    /// <summary>Switches the workspace's cost-basis method (as the settings page does) and drops its views.</summary>
    public static async Task SetMethodAsync(KryptosFactory factory, Guid workspaceId, CostBasisMethod method)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await factory.WithDbAsync(async db =>
        {
            var workspace = await db.Workspaces.FindAsync(workspaceId);
            workspace!.CostBasisMethod = method;
            return await db.SaveChangesAsync();
        });
        Invalidate(factory, workspaceId);
    }

    private static void Invalidate(KryptosFactory factory, Guid workspaceId) =>
        factory.Services.GetRequiredService<IPortfolioViews>().Invalidate(workspaceId);

    private static PortfolioTransaction Tx(Guid workspaceId, Guid integrationId, string day, TransactionType type, TransactionLabel label, DateTimeOffset now, params (string Direction, string Asset, decimal Quantity, decimal Price)[] lines)
    {
        var transaction = new PortfolioTransaction
        {
            WorkspaceId = workspaceId,
            IntegrationId = integrationId,
            Type = type,
            Label = label,
            OccurredAt = DateTimeOffset.Parse(day + "T12:00:00Z", CultureInfo.InvariantCulture),
            Origin = TransactionOrigin.Manual,
            CreatedAt = now,
            UpdatedAt = now,
        };
        transaction.Lines.AddRange(lines.Select(l => new TransactionLine
        {
            TransactionId = transaction.Id,
            Direction = Enum.Parse<LineDirection>(l.Direction),
            Asset = l.Asset,
            Quantity = l.Quantity,
            UnitPrice = l.Price,
            Currency = "USD",
        }));
        return transaction;
    }
}

/// <summary>Reading decimal strings and finding the workspace an app was granted.</summary>
public static class ApiReading
{
    public static decimal Dec(this JsonElement element, string property)
    {
        var value = element.GetProperty(property);
        Assert.Equal(JsonValueKind.String, value.ValueKind);
        return decimal.Parse(value.GetString()!, NumberStyles.Number, CultureInfo.InvariantCulture);
    }

    public static async Task<Guid> GrantedWorkspaceAsync(this HttpClient http, string accessToken)
    {
        using var response = await http.GetApiAsync("/v1/workspace", accessToken);
        var json = await ApiIntents.JsonAsync(response, HttpStatusCode.OK);
        return json.GetProperty("data").GetProperty("id").GetGuid();
    }
}
