using System.Net;
using System.Text.Json;
using Kryptos.IntegrationTests.Oidc;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi.Portfolio;

/// <summary>
/// Every portfolio resource of /v1 read by a third-party app over <see cref="HandCheckedBooks"/>, whose
/// numbers are worked out by hand in that class's comment.
/// </summary>
public sealed class PortfolioEndpointTests(BooksFixture fixture) : IClassFixture<BooksFixture>
{
    private HandCheckedBooks Books => fixture.Books;

    private async Task<JsonElement> GetAsync(string path, string? token = null)
    {
        using var http = fixture.Factory.Backchannel();
        using var response = await http.GetApiAsync(path, token ?? fixture.App.AccessToken);
        return await JsonAsync(response);
    }

    private async Task<JsonElement> ProblemAtAsync(string path, HttpStatusCode status, string code, string? token = null)
    {
        using var http = fixture.Factory.Backchannel();
        using var response = await http.GetApiAsync(path, token ?? fixture.App.AccessToken);
        return await ProblemAsync(response, status, code);
    }

    [Fact]
    public async Task Holdings_AreComputedFromTheTransactions_WithTotals()
    {
        var json = await GetAsync("/v1/holdings");

        var data = json.GetProperty("data");
        Assert.Equal(2, data.GetArrayLength());
        var btc = data[0];
        Assert.Equal("BTC", btc.GetProperty("asset").GetString());
        Assert.Equal(0.5m, btc.Dec("quantity"));
        Assert.Equal(25_000m, btc.Dec("costBasis"));
        Assert.Equal(80_000m, btc.Dec("price"));
        Assert.Equal(40_000m, btc.Dec("marketValue"));
        Assert.Equal(15_000m, btc.Dec("unrealizedPnl"));
        Assert.Equal(0.9963m, btc.Dec("allocation"));

        var eth = data[1];
        Assert.Equal("ETH", eth.GetProperty("asset").GetString());
        Assert.Equal(0.05m, eth.Dec("quantity"));
        Assert.Equal(100m, eth.Dec("costBasis"));
        Assert.Equal(150m, eth.Dec("marketValue"));
        Assert.Equal(0.0037m, eth.Dec("allocation"));
        var accounts = eth.GetProperty("accounts").EnumerateArray().ToDictionary(a => a.GetProperty("integrationId").GetGuid());
        Assert.Equal(0.03m, accounts[Books.Kraken].Dec("quantity"));
        Assert.Equal(60m, accounts[Books.Kraken].Dec("costBasis"));
        Assert.Equal(90m, accounts[Books.Kraken].Dec("marketValue"));
        Assert.Equal(0.02m, accounts[Books.Ledger].Dec("quantity"));
        Assert.Equal(40m, accounts[Books.Ledger].Dec("costBasis"));

        var meta = json.GetProperty("meta");
        Assert.Equal("USD", meta.GetProperty("baseCurrency").GetString());
        Assert.Equal("FIFO", meta.GetProperty("costBasisMethod").GetString());
        Assert.Equal("import", meta.GetProperty("priceSource").GetString());
        Assert.Equal(25_100m, meta.Dec("costBasis"));
        Assert.Equal(40_150m, meta.Dec("marketValue"));
        Assert.Equal(15_050m, meta.Dec("unrealizedPnl"));
        AssertPagination(json, limit: 50, offset: 0, total: 2, hasMore: false);
    }

    [Fact]
    public async Task Portfolios_SplitTheHoldingsPerAccount()
    {
        var json = await GetAsync("/v1/portfolios");

        var byId = json.GetProperty("data").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetGuid());
        Assert.Equal(2, byId.Count);
        var kraken = byId[Books.Kraken];
        Assert.Equal("exchange", kraken.GetProperty("kind").GetString());
        Assert.Equal(25_060m, kraken.Dec("costBasis"));        // 0.5 BTC at 25,000 + 0.03 ETH at 60
        Assert.Equal(40_090m, kraken.Dec("marketValue"));      // 40,000 + 90
        Assert.Equal(15_030m, kraken.Dec("unrealizedPnl"));
        var ledger = byId[Books.Ledger];
        Assert.Equal("wallet", ledger.GetProperty("kind").GetString());
        Assert.Equal(60m, ledger.Dec("marketValue"));          // 0.02 ETH at 3,000
        Assert.Equal("ETH", Assert.Single(ledger.GetProperty("holdings").EnumerateArray()).GetProperty("asset").GetString());
    }

    [Fact]
    public async Task Transactions_AreListedNewestFirst_WithTheirLines()
    {
        var json = await GetAsync("/v1/transactions");

        var data = json.GetProperty("data");
        Assert.Equal(7, data.GetArrayLength());
        Assert.Equal(Books.Transactions[6], data[0].GetProperty("id").GetGuid());
        Assert.Equal(Books.Transactions[0], data[6].GetProperty("id").GetGuid());
        var sale = data.EnumerateArray().Single(t => t.GetProperty("id").GetGuid() == Books.Transactions[3]);
        Assert.Equal("trade", sale.GetProperty("type").GetString());
        Assert.Equal("sell", sale.GetProperty("label").GetString());
        Assert.Equal("2025-01-20T12:00:00Z", sale.GetProperty("occurredAt").GetString());
        Assert.Equal(1.5m, Assert.Single(sale.GetProperty("outgoing").EnumerateArray()).Dec("quantity"));
        Assert.Equal(90_000m, Assert.Single(sale.GetProperty("incoming").EnumerateArray()).Dec("quantity"));
        Assert.Equal(90m, Assert.Single(sale.GetProperty("fees").EnumerateArray()).Dec("quantity"));
        var transfer = data[0];
        Assert.Equal("transfer", transfer.GetProperty("type").GetString());
        Assert.Equal(Books.Ledger, transfer.GetProperty("counterpartIntegrationId").GetGuid());
        AssertPagination(json, limit: 50, offset: 0, total: 7, hasMore: false);
    }

    [Theory]
    [InlineData("?asset=BTC", 3)]                                   // T2, T3, T4
    [InlineData("?asset=ETH", 3)]                                   // T5, T6, T7
    [InlineData("?asset=USD", 5)]                                   // T1, T2, T3, T4, T6
    [InlineData("?type=trade", 4)]                                  // T2, T3, T4, T6
    [InlineData("?label=sell", 2)]                                  // T4, T6
    [InlineData("?label=staking_rewards", 1)]                       // T5
    [InlineData("?type=transfer&label=transfer", 1)]                // T7
    [InlineData("?from=2025-01-01", 4)]                             // T4 … T7
    [InlineData("?from=2024-01-15T12:00:00Z&to=2024-06-01T12:00:00Z", 1)] // from inclusive, to exclusive: T2
    [InlineData("?to=2024-01-15T12:00:00.001Z", 2)]                 // T1, T2 (times are stored to 0.1 ms)
    [InlineData("?from=2024-06-01T14:00:00%2B02:00&to=2024-06-02", 1)]   // an offset is converted: 12:00 UTC is T3
    [InlineData("?asset=DOGE", 0)]
    public async Task Transactions_CanBeFiltered(string query, int expected)
    {
        var json = await GetAsync("/v1/transactions" + query);

        Assert.Equal(expected, json.GetProperty("data").GetArrayLength());
        Assert.Equal(expected, json.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Transactions_FilteredByIntegration_IncludeTransfersIntoIt()
    {
        var ledger = await GetAsync($"/v1/transactions?integration={Books.Ledger}");
        var kraken = await GetAsync($"/v1/transactions?integration={Books.Kraken}");

        Assert.Equal(Books.Transactions[6], Assert.Single(ledger.GetProperty("data").EnumerateArray()).GetProperty("id").GetGuid());
        Assert.Equal(7, kraken.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Transactions_PageWithoutGapsOrOverlaps()
    {
        var first = await GetAsync("/v1/transactions?limit=3");
        var second = await GetAsync("/v1/transactions?limit=3&offset=3");
        var last = await GetAsync("/v1/transactions?limit=3&offset=6");
        var beyond = await GetAsync("/v1/transactions?limit=3&offset=700");

        AssertPagination(first, 3, 0, 7, hasMore: true);
        AssertPagination(second, 3, 3, 7, hasMore: true);
        AssertPagination(last, 3, 6, 7, hasMore: false);
        AssertPagination(beyond, 3, 700, 7, hasMore: false);
        Assert.Equal(0, beyond.GetProperty("data").GetArrayLength());
        var ids = new[] { first, second, last }.SelectMany(p => p.GetProperty("data").EnumerateArray()).Select(t => t.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(Books.Transactions.Reverse(), ids);
    }

    [Theory]
    [InlineData("?type=buy", "type")]                    // a label is not a type
    [InlineData("?type=Trade", "type")]                  // exact spelling only
    [InlineData("?type=1", "type")]                      // no enum numbers
    [InlineData("?label=staking-rewards", "label")]
    [InlineData("?asset=btc", "asset")]
    [InlineData("?asset=ABCDEFGHIJKLMNOPQ", "asset")]
    [InlineData("?integration=kraken", "integration")]
    [InlineData("?from=2025-13-01", "from")]
    [InlineData("?from=2025-01-01T00:00:00", "from")]    // a time without an offset is ambiguous
    [InlineData("?from=yesterday", "from")]
    [InlineData("?to=2024-01-01&from=2025-01-01", "to")] // an empty range is a mistake, not an empty list
    public async Task BadFilters_Are400InvalidFilter_NamingTheParameter(string query, string parameter)
    {
        var problem = await ProblemAtAsync("/v1/transactions" + query, HttpStatusCode.BadRequest, "invalid_filter");

        Assert.Equal(parameter, problem.GetProperty("parameter").GetString());
    }

    [Theory]
    [InlineData("?limit=0", "invalid_limit")]
    [InlineData("?limit=201", "invalid_limit")]
    [InlineData("?limit=-1", "invalid_limit")]
    [InlineData("?limit=ten", "invalid_limit")]
    [InlineData("?limit=1&limit=2", "invalid_limit")]
    [InlineData("?offset=-1", "invalid_offset")]
    [InlineData("?offset=99999999999", "invalid_offset")]
    public async Task BadPaging_Is400(string query, string code)
    {
        foreach (var path in new[] { "/v1/transactions", "/v1/holdings", "/v1/integrations", "/v1/ledgers", "/v1/reports", "/v1/tax/2025/disposals", "/v1/portfolios" })
        {
            await ProblemAtAsync(path + query, HttpStatusCode.BadRequest, code);
        }
    }

    [Fact]
    public async Task OneTransaction_IsReadById()
    {
        var json = await GetAsync($"/v1/transactions/{Books.Transactions[4]}");

        var data = json.GetProperty("data");
        Assert.Equal("income", data.GetProperty("type").GetString());
        Assert.Equal("staking_rewards", data.GetProperty("label").GetString());
        var line = Assert.Single(data.GetProperty("incoming").EnumerateArray());
        Assert.Equal("ETH", line.GetProperty("asset").GetString());
        Assert.Equal(2_000m, line.Dec("unitPrice"));
        Assert.Equal("USD", line.GetProperty("currency").GetString());
    }

    [Theory]
    [InlineData("not-a-uuid")]
    [InlineData("00000000-0000-0000-0000-000000000000")]
    [InlineData("1")]
    public async Task AnUnknownTransaction_Is404(string id) =>
        await ProblemAtAsync("/v1/transactions/" + id, HttpStatusCode.NotFound, "not_found");

    [Theory]
    [InlineData("/v1/reports/not-a-uuid")]
    [InlineData("/v1/reports/00000000-0000-0000-0000-000000000000")]
    [InlineData("/v1/reports/00000000-0000-0000-0000-000000000000/download")]
    [InlineData("/v1/reports/%7B00000000-0000-0000-0000-000000000000%7D")]     // braces: only the plain form is an id
    [InlineData("/v1/transactions/00000000000000000000000000000000")]         // no hyphens: not the id's form
    public async Task MalformedOrUnknownIds_Are404(string path) =>
        await ProblemAtAsync(path, HttpStatusCode.NotFound, "not_found");

    [Fact]
    public async Task AnotherWorkspacesObjects_Are404_AndItsListsAreEmpty()
    {
        var other = fixture.OtherTenant.AccessToken;

        await ProblemAtAsync($"/v1/transactions/{Books.Transactions[0]}", HttpStatusCode.NotFound, "not_found", other);
        await ProblemAtAsync($"/v1/reports/{Books.Report}", HttpStatusCode.NotFound, "not_found", other);
        await ProblemAtAsync($"/v1/reports/{Books.Report}/download", HttpStatusCode.NotFound, "not_found", other);
        Assert.Equal(0, (await GetAsync($"/v1/transactions?integration={Books.Kraken}", other)).GetProperty("data").GetArrayLength());
        foreach (var path in new[] { "/v1/transactions", "/v1/holdings", "/v1/integrations", "/v1/ledgers", "/v1/reports", "/v1/tax/2025/disposals", "/v1/portfolios" })
        {
            var json = await GetAsync(path, other);
            Assert.Equal(0, json.GetProperty("pagination").GetProperty("total").GetInt32());
        }
    }

    [Fact]
    public async Task Integrations_ShowProviderStatusAndCounts()
    {
        var json = await GetAsync("/v1/integrations");

        var byId = json.GetProperty("data").EnumerateArray().ToDictionary(i => i.GetProperty("id").GetGuid());
        var kraken = byId[Books.Kraken];
        Assert.Equal("kraken", kraken.GetProperty("providerId").GetString());
        Assert.Equal("exchange", kraken.GetProperty("kind").GetString());
        Assert.Equal("synced", kraken.GetProperty("syncStatus").GetString());
        Assert.Equal(7, kraken.GetProperty("transactionCount").GetInt32());
        var ledger = byId[Books.Ledger];
        Assert.Equal("wallet", ledger.GetProperty("kind").GetString());
        Assert.Equal("ethereum", ledger.GetProperty("chain").GetString());
        Assert.Equal("pending", ledger.GetProperty("syncStatus").GetString());
        Assert.Equal(1, ledger.GetProperty("transactionCount").GetInt32());
    }

    [Fact]
    public async Task TaxSummary_ShowsGainsByTermAndIncome_UnderFifo()
    {
        var data = (await GetAsync("/v1/tax/2025/summary")).GetProperty("data");

        Assert.Equal(2025, data.GetProperty("year").GetInt32());
        Assert.Equal("FIFO", data.GetProperty("costBasisMethod").GetString());
        Assert.Equal(4_945m, data.Dec("shortTermGain"));
        Assert.Equal(29_910m, data.Dec("longTermGain"));
        Assert.Equal(34_855m, data.Dec("realizedGain"));
        Assert.Equal(89_985m, data.Dec("proceeds"));
        Assert.Equal(55_130m, data.Dec("costBasis"));
        Assert.Equal(200m, data.Dec("income"));
        Assert.Equal(200m, data.GetProperty("incomeByLabel").Dec("staking_rewards"));
        Assert.Equal(3, data.GetProperty("disposalCount").GetInt32());
        Assert.Equal(1, data.GetProperty("incomeCount").GetInt32());
    }

    [Fact]
    public async Task TaxSummary_OfAYearWithoutDisposals_IsZero()
    {
        var data = (await GetAsync("/v1/tax/2024/summary")).GetProperty("data");

        Assert.Equal(0m, data.Dec("realizedGain"));
        Assert.Equal(0m, data.Dec("income"));
        Assert.Equal(0, data.GetProperty("disposalCount").GetInt32());
    }

    [Fact]
    public async Task Disposals_ArePerLot_WithTerm()
    {
        var json = await GetAsync("/v1/tax/2025/disposals");

        var rows = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(3, rows.Count);
        var longTerm = Assert.Single(rows, r => r.GetProperty("term").GetString() == "long_term");
        Assert.Equal("BTC", longTerm.GetProperty("asset").GetString());
        Assert.Equal(1m, longTerm.Dec("quantity"));
        Assert.Equal("2024-01-15T12:00:00Z", longTerm.GetProperty("acquiredAt").GetString());
        Assert.Equal(59_940m, longTerm.Dec("proceeds"));
        Assert.Equal(30_030m, longTerm.Dec("costBasis"));
        Assert.Equal(29_910m, longTerm.Dec("gain"));
        var loss = Assert.Single(rows, r => r.GetProperty("asset").GetString() == "ETH");
        Assert.Equal(-25m, loss.Dec("gain"));
        Assert.Equal("short_term", loss.GetProperty("term").GetString());

        Assert.Equal(2, (await GetAsync("/v1/tax/2025/disposals?term=short_term")).GetProperty("data").GetArrayLength());
        Assert.Equal(2, (await GetAsync("/v1/tax/2025/disposals?asset=BTC")).GetProperty("data").GetArrayLength());
        Assert.Equal(1, (await GetAsync("/v1/tax/2025/disposals?limit=1&offset=2")).GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("/v1/tax/25/summary", HttpStatusCode.BadRequest, "invalid_year")]
    [InlineData("/v1/tax/twenty/summary", HttpStatusCode.BadRequest, "invalid_year")]
    [InlineData("/v1/tax/+202/summary", HttpStatusCode.BadRequest, "invalid_year")]
    [InlineData("/v1/tax/20250/disposals", HttpStatusCode.BadRequest, "invalid_year")]
    [InlineData("/v1/tax/2008/summary", HttpStatusCode.NotFound, "unknown_year")]
    [InlineData("/v1/tax/9999/summary", HttpStatusCode.NotFound, "unknown_year")]
    [InlineData("/v1/tax/2025/disposals?term=medium", HttpStatusCode.BadRequest, "invalid_filter")]
    public async Task BadYears_AreProblems(string path, HttpStatusCode status, string code) =>
        await ProblemAtAsync(path, status, code);

    [Fact]
    public async Task Ledger_HasOneBalancedEntryPerTransaction()
    {
        var json = await GetAsync("/v1/ledgers?limit=200");

        var entries = json.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(7, entries.Count);
        Assert.Equal(Books.Transactions, entries.Select(e => e.GetProperty("transactionId").GetGuid()));
        foreach (var entry in entries)
        {
            var postings = entry.GetProperty("postings").EnumerateArray().ToList();
            Assert.True(postings.Count >= 2);
            Assert.Equal(postings.Sum(p => p.Dec("debit")), postings.Sum(p => p.Dec("credit")));
        }

        // The sale T4: cash in 90,000 − 90 fee, BTC out at cost 55,030, gain 34,880 (29,910 + 4,970).
        var sale = entries[3].GetProperty("postings").EnumerateArray().ToList();
        Assert.Equal(34_880m, sale.Where(p => p.GetProperty("account").GetString() == "Income:RealizedGains").Sum(p => p.Dec("credit")));
        Assert.Equal(55_030m, sale.Where(p => p.GetProperty("asset").GetString() == "BTC").Sum(p => p.Dec("credit")));
        Assert.Equal(2, (await GetAsync("/v1/ledgers?from=2025-04-01")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Reports_AreListed_AndDownloadedAsCsv()
    {
        var list = await GetAsync("/v1/reports");
        var report = Assert.Single(list.GetProperty("data").EnumerateArray());
        Assert.Equal(Books.Report, report.GetProperty("id").GetGuid());
        Assert.Equal("capital_gains", report.GetProperty("kind").GetString());
        Assert.Equal(2025, report.GetProperty("year").GetInt32());
        Assert.Equal("succeeded", report.GetProperty("status").GetString());
        Assert.Equal(100, report.GetProperty("progress").GetInt32());
        var download = report.GetProperty("downloadUrl").GetString();
        Assert.Equal($"/v1/reports/{Books.Report}/download", download);

        var one = await GetAsync($"/v1/reports/{Books.Report}");
        Assert.Equal("capital-gains-2025.csv", one.GetProperty("data").GetProperty("fileName").GetString());

        using var http = fixture.Factory.Backchannel();
        using var response = await http.GetApiAsync(download!, fixture.App.AccessToken);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("capital-gains-2025.csv", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        Assert.Equal(HandCheckedBooks.ReportCsv, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Money_IsADecimalString_AndTimesAreUtc()
    {
        using var http = fixture.Factory.Backchannel();
        using var response = await http.GetApiAsync("/v1/tax/2025/disposals", fixture.App.AccessToken);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Contains("\"gain\":\"29910.00\"", body, StringComparison.Ordinal);
        Assert.Contains("\"disposedAt\":\"2025-01-20T12:00:00Z\"", body, StringComparison.Ordinal);
    }

    private static void AssertPagination(JsonElement json, int limit, int offset, int total, bool hasMore)
    {
        var pagination = json.GetProperty("pagination");
        Assert.Equal(limit, pagination.GetProperty("limit").GetInt32());
        Assert.Equal(offset, pagination.GetProperty("offset").GetInt32());
        Assert.Equal(total, pagination.GetProperty("total").GetInt32());
        Assert.Equal(hasMore, pagination.GetProperty("hasMore").GetBoolean());
    }
}
