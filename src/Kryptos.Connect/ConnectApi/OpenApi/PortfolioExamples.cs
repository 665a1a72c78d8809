using Kryptos.Connect.ConnectApi.Integrations;
using Kryptos.Connect.ConnectApi.Ledgers;
using Kryptos.Connect.ConnectApi.Portfolios;
using Kryptos.Connect.ConnectApi.Reports;
using Kryptos.Connect.ConnectApi.Tax;
using Kryptos.Connect.ConnectApi.Transactions;

namespace Kryptos.Connect.ConnectApi.OpenApi;

/// <summary>
/// The 200 examples of the portfolio resources in the OpenAPI document: one small, consistent set of
/// books (a Kraken account and a Ledger wallet; 1.5 BTC sold in 2025 under FIFO).
/// </summary>
internal static class PortfolioExamples
{
    private static readonly Guid Kraken = Guid.Parse("0197f2a4-6c1e-7d3a-9b52-3f1c2e8d4b01");
    private static readonly Guid Ledger = Guid.Parse("0197f2a4-6c1e-7d3a-9b52-3f1c2e8d4b02");
    private static readonly Guid Sale = Guid.Parse("0197f2a4-6c1e-7d3a-9b52-3f1c2e8d4c04");
    private static readonly Guid Report = Guid.Parse("0197f2a4-6c1e-7d3a-9b52-3f1c2e8d4d01");
    private static readonly DateTimeOffset SoldAt = new(2025, 1, 20, 12, 0, 0, TimeSpan.Zero);

    private static Pagination Page(int total) => new(PageRequest.DefaultLimit, 0, total, false);

    public static HoldingsList Holdings { get; } = new(
        [
            new HoldingDto("BTC", 0.5m, 25_000.00m, 80_000m, 40_000.00m, 15_000.00m, 0.9963m, [new AccountHoldingDto(Kraken, "Kraken", 0.5m, 25_000.00m, 40_000.00m)]),
            new HoldingDto("ETH", 0.05m, 100.00m, 3_000m, 150.00m, 50.00m, 0.0037m,
                [new AccountHoldingDto(Kraken, "Kraken", 0.03m, 60.00m, 90.00m), new AccountHoldingDto(Ledger, "Ledger", 0.02m, 40.00m, 60.00m)]),
        ],
        Page(2),
        new PortfolioTotalsDto("USD", "FIFO", "demo", new DateOnly(2026, 12, 3), 25_100.00m, 40_150.00m, 15_050.00m, 2));

    public static ListEnvelope<PortfolioDto> Portfolios { get; } = new(
        [
            new PortfolioDto(Kraken, "Kraken", "exchange", "kraken", 25_060.00m, 40_090.00m, 15_030.00m,
                [new PortfolioAssetDto("BTC", 0.5m, 25_000.00m, 40_000.00m), new PortfolioAssetDto("ETH", 0.03m, 60.00m, 90.00m)]),
            new PortfolioDto(Ledger, "Ledger", "wallet", "ledger", 40.00m, 60.00m, 20.00m, [new PortfolioAssetDto("ETH", 0.02m, 40.00m, 60.00m)]),
        ],
        Page(2));

    private static TransactionDto SaleTransaction { get; } = new(
        Sale, Kraken, null, "trade", "sell", SoldAt, "Sold 1.5 BTC", "manual",
        [new AssetAmountDto("USD", 90_000m, 1m, "USD")],
        [new AssetAmountDto("BTC", 1.5m, 60_000m, "USD")],
        [new AssetAmountDto("USD", 90m, 1m, "USD")]);

    public static ListEnvelope<TransactionDto> Transactions { get; } = new([SaleTransaction], Page(1));

    public static DataEnvelope<TransactionDto> Transaction { get; } = new(SaleTransaction);

    public static ListEnvelope<IntegrationDto> Integrations { get; } = new(
        [
            new IntegrationDto(Kraken, "Kraken", "exchange", "kraken", null, null, "synced", SoldAt, 7, new DateTimeOffset(2026, 1, 2, 8, 0, 0, TimeSpan.Zero)),
            new IntegrationDto(Ledger, "Ledger", "wallet", "ledger", "ethereum", "0x52908400098527886E0F7030069857D2E4169EE7", "pending", null, 1, new DateTimeOffset(2026, 1, 2, 8, 5, 0, TimeSpan.Zero)),
        ],
        Page(2));

    public static DataEnvelope<TaxSummaryDto> TaxSummary { get; } = new(new TaxSummaryDto(
        2025, "USD", "FIFO", 4_945.00m, 29_910.00m, 34_855.00m, 89_985.00m, 55_130.00m, 200.00m,
        new Dictionary<string, decimal>(StringComparer.Ordinal) { ["staking_rewards"] = 200.00m }, 3, 1));

    public static ListEnvelope<DisposalDto> Disposals { get; } = new(
        [
            new DisposalDto(Sale, Kraken, "BTC", 1m, new DateTimeOffset(2024, 1, 15, 12, 0, 0, TimeSpan.Zero), SoldAt, 59_940.00m, 30_030.00m, 29_910.00m, "long_term"),
            new DisposalDto(Sale, Kraken, "BTC", 0.5m, new DateTimeOffset(2024, 6, 1, 12, 0, 0, TimeSpan.Zero), SoldAt, 29_970.00m, 25_000.00m, 4_970.00m, "short_term"),
        ],
        Page(2));

    public static ListEnvelope<LedgerEntryDto> Ledgers { get; } = new(
        [
            new LedgerEntryDto(Sale, SoldAt, "Sell BTC", [
                new PostingDto("Assets:Kraken:USD", "USD", 89_910m, 89_910.00m, 0.00m),
                new PostingDto("Assets:Kraken:BTC", "BTC", 1.5m, 0.00m, 55_030.00m),
                new PostingDto("Income:RealizedGains", null, null, 0.00m, 34_880.00m),
            ]),
        ],
        Page(1));

    private static ReportDto ReportItem { get; } = new(
        Report, "capital_gains", 2025, "succeeded", 100, 3, "capital-gains-2025.csv",
        new DateTimeOffset(2026, 2, 1, 10, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 2, 1, 10, 0, 2, TimeSpan.Zero),
        $"/v1/reports/{Report}/download");

    public static ListEnvelope<ReportDto> Reports { get; } = new([ReportItem], Page(1));

    public static DataEnvelope<ReportDto> OneReport { get; } = new(ReportItem);
}
