using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using AngleSharp.Html.Dom;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Demo;
using Kryptos.IntegrationTests.Workspaces;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Portfolio.Prices;

/// <summary>The price CSV import page: all or nothing, errors by line, upserts, limits and hostile files.</summary>
public sealed class PriceImportTests(RecordingViewsFactory factory) : IClassFixture<RecordingViewsFactory>
{
    private const string Header = "date,asset,close,currency\n";

    [Fact]
    public async Task AValidFile_IsImported_ListedAndUsedForValuation()
    {
        var (client, workspaceId) = await OwnerAsync();

        using var response = await UploadAsync(client, workspaceId, Header + "2025-03-31,BTC,82548.91,USD\n2025-03-31,eth,1822.5,usd\n2025-04-01,BTC,85000,EUR\n");

        client.AssertStatus(HttpStatusCode.Redirect, response);
        var page = await client.FollowAsync(response);
        Assert.Contains("Imported 3 prices (3 new, 0 updated).", page.Body!.TextContent, StringComparison.Ordinal);
        var rows = page.QuerySelectorAll("#imported-heading ~ .table-scroll tbody tr").Select(r => r.TextContent.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        Assert.Equal(["2025-04-01", "BTC", "85000", "EUR"], rows[0][..4]);
        Assert.Equal(3, rows.Count);
        var closes = await factory.Services.GetRequiredService<IPriceSource>().GetClosesAsync(workspaceId, ["BTC", "ETH"], "USD", new DateOnly(2025, 3, 31));
        Assert.Equal(new PricePoint("BTC", new DateOnly(2025, 3, 31), 82_548.91m, "USD", "import"), closes["BTC"]);
        Assert.Equal(1_822.5m, closes["ETH"].Close);
        Assert.Contains(workspaceId, factory.Views.Invalidated);
        Assert.Equal("Imported prices: 3 new and 0 updated daily close(s)", Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.PricesImported)).Summary);
    }

    [Fact]
    public async Task ImportingAgain_ReplacesTheClosesOfTheSameDays_WithoutDuplicates()
    {
        var (client, workspaceId) = await OwnerAsync();
        using (var first = await UploadAsync(client, workspaceId, Header + "2025-03-31,BTC,1,USD\n2025-04-01,BTC,2,USD\n"))
        {
            client.AssertStatus(HttpStatusCode.Redirect, first);
        }

        using var again = await UploadAsync(client, workspaceId, Header + "2025-03-31,BTC,1,USD\n2025-04-01,BTC,3,USD\n2025-04-02,BTC,4,USD\n");

        var page = await client.FollowAsync(again);
        Assert.Contains("Imported 3 prices (1 new, 2 updated).", page.Body!.TextContent, StringComparison.Ordinal);
        var quotes = await QuotesAsync(workspaceId);
        Assert.Equal([1m, 3m, 4m], quotes.Select(q => q.Close));
    }

    [Fact]
    public async Task EveryBadRow_IsReportedWithItsLine_AndNothingIsImported()
    {
        var (client, workspaceId) = await OwnerAsync();
        var future = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var csv = Header
            + "2025-03-31,BTC,82548.91,USD\n"          // line 2: fine, yet not imported
            + "31/03/2025,BTC,1,USD\n"                 // line 3: date format
            + "2025-03-30,BTC,-5,USD\n"                // line 4: negative
            + $"{future},BTC,1,USD\n"                  // line 5: future
            + "2025-03-29,\"=HYPERLINK(\"\"http://evil\"\")\",1,USD\n" // line 6: formula text as asset
            + "2025-03-28,BTC,1e400,USD\n"             // line 7: exponent
            + "2025-03-27,BTC,99999999999999999999999999999,USD\n" // line 8: huge
            + "2025-03-26,BTC,1,XYZ\n"                 // line 9: unknown currency
            + "2025-03-31,btc,2,usd\n"                 // line 10: same as line 2
            + "2025-03-25,BTC,0,USD\n"                 // line 11: zero
            + "1999-12-31,BTC,1,USD\n"                 // line 12: before Bitcoin
            + "2025-03-24,BTC,1\n"                     // line 13: missing field
            + "2025-03-23,BTC,\"1,5\",USD\n";          // line 14: comma decimal

        using var response = await UploadAsync(client, workspaceId, csv);

        client.AssertStatus(HttpStatusCode.BadRequest, response);
        var problems = await ProblemsAsync(response);
        Assert.Equal(
        [
            "Line 3, date", "Line 4, close", "Line 5, date", "Line 6, asset", "Line 7, close", "Line 8, close",
            "Line 9, currency", "Line 10", "Line 11, close", "Line 12, date", "Line 13", "Line 14, close",
        ], problems.Select(p => p.Split(':')[0]));
        Assert.Contains("same asset, currency and date as line 2", problems[7], StringComparison.Ordinal);
        Assert.Empty(await QuotesAsync(workspaceId));
    }

    [Theory]
    [InlineData("date,asset,close\n2025-01-01,BTC,1\n", "Line 1: The first line must be the header date,asset,close,currency (missing: currency).")]
    [InlineData("date,asset,close,currency,note\n2025-01-01,BTC,1,USD,x\n", "Line 1: The header must have exactly the columns date,asset,close,currency.")]
    [InlineData("date,asset,close,currency\n", "File: The file has a header but no prices.")]
    [InlineData("date,asset,close,currency\n2025-01-01,\"BTC,1,USD\n", "Line 2: The line is not valid CSV (check the quotes).")]
    public async Task AFileThatIsNotAPriceCsv_IsRefusedWithAClearMessage(string csv, string expected)
    {
        var (client, workspaceId) = await OwnerAsync();

        using var response = await UploadAsync(client, workspaceId, csv);

        client.AssertStatus(HttpStatusCode.BadRequest, response);
        Assert.Equal([expected], await ProblemsAsync(response));
        Assert.Empty(await QuotesAsync(workspaceId));
    }

    [Fact]
    public async Task NulBytes_AndOtherEncodings_AreRefused()
    {
        var (client, workspaceId) = await OwnerAsync();

        using var nul = await UploadAsync(client, workspaceId, Encoding.UTF8.GetBytes(Header + "2025-01-01,BTC,1,USD\n2025-01-02,BT\0C,1,USD\n"));
        using var latin1 = await UploadAsync(client, workspaceId, Encoding.Latin1.GetBytes(Header + "2025-01-01,BTC,1,USD\n2025-01-02,BTÉ,1,USD\n"));

        Assert.Equal(["Line 3: The file contains NUL bytes: it is not a text CSV file."], await ProblemsAsync(nul));
        Assert.Equal(["File: The file is not UTF-8 text. Save it as CSV UTF-8."], await ProblemsAsync(latin1));
        Assert.Empty(await QuotesAsync(workspaceId));
    }

    [Fact]
    public async Task AFileOverTheLimit_IsRefused_AndARequestOverTheHostsLimitIs413()
    {
        var (client, workspaceId) = await OwnerAsync();
        var line = "2025-01-01,BTC,1,USD\n";
        var overFileLimit = Header + string.Concat(Enumerable.Repeat(line, (600 * 1024 / line.Length) + 1)); // > 512 KiB, < 1 MiB
        var overRequestLimit = Header + string.Concat(Enumerable.Repeat(line, (1100 * 1024 / line.Length) + 1)); // > 1 MiB

        using var tooLarge = await UploadAsync(client, workspaceId, overFileLimit);
        using var tooLargeRequest = await UploadAsync(client, workspaceId, overRequestLimit);

        Assert.Equal(["File: The file is larger than 512 KiB. Split it into smaller files."], await ProblemsAsync(tooLarge));
        client.AssertStatus(HttpStatusCode.RequestEntityTooLarge, tooLargeRequest);
        Assert.Empty(await QuotesAsync(workspaceId));
    }

    [Fact]
    public async Task NoFile_IsAFormError()
    {
        var (client, workspaceId) = await OwnerAsync();

        using var response = await client.SubmitAsync(PricesPage(workspaceId), formSelector: "form[action*='handler=Import']");

        client.AssertStatus(HttpStatusCode.BadRequest, response);
        var page = await PortalClient.ReadPageAsync(response);
        Assert.Contains("Choose a CSV file", page.QuerySelector("[data-valmsg-for='Upload']")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheList_IsPaged()
    {
        var (client, workspaceId) = await OwnerAsync();
        var csv = Header + string.Concat(Enumerable.Range(0, 60).Select(i => $"{new DateOnly(2025, 1, 1).AddDays(i):yyyy-MM-dd},SOL,{100 + i},USD\n"));
        using (var response = await UploadAsync(client, workspaceId, csv))
        {
            client.AssertStatus(HttpStatusCode.Redirect, response);
        }

        var first = await client.GetPageAsync(PricesPage(workspaceId));
        var second = await client.GetPageAsync(PricesPage(workspaceId) + "?page=2");

        Assert.Equal(50, first.QuerySelectorAll("tbody tr").Length);
        Assert.StartsWith("2025-03-01", first.QuerySelector("tbody tr")!.TextContent.Trim(), StringComparison.Ordinal); // newest: 2025-01-01 + 59 days
        Assert.Equal(10, second.QuerySelectorAll("tbody tr").Length);
        Assert.NotNull(first.QuerySelector("a[href='?page=2']"));
        Assert.Null(second.QuerySelector("a[href='?page=3']"));
    }

    [Fact]
    public async Task RemovingImportedPrices_GivesValuationBackToTheOtherSources()
    {
        var (client, workspaceId) = await OwnerAsync();
        using (var response = await UploadAsync(client, workspaceId, Header + "2025-03-31,BTC,1,USD\n"))
        {
            client.AssertStatus(HttpStatusCode.Redirect, response);
        }

        using var delete = await client.SubmitAsync(PricesPage(workspaceId), formSelector: "form[action*='handler=Delete']");

        client.AssertStatus(HttpStatusCode.Redirect, delete);
        Assert.Empty(await QuotesAsync(workspaceId));
        var closes = await factory.Services.GetRequiredService<IPriceSource>().GetClosesAsync(workspaceId, ["BTC"], "USD", new DateOnly(2025, 3, 31));
        Assert.Equal("demo", closes["BTC"].Source);
    }

    [Fact]
    public async Task AViewer_SeesThePrices_ButCannotImportOrRemove()
    {
        var (owner, workspaceId) = await OwnerAsync();
        using (var response = await UploadAsync(owner, workspaceId, Header + "2025-03-31,BTC,1,USD\n"))
        {
            owner.AssertStatus(HttpStatusCode.Redirect, response);
        }

        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);
        var page = await viewer.GetPageAsync(PricesPage(workspaceId));
        using var import = await PostFileAsync(viewer, workspaceId, page, Encoding.UTF8.GetBytes(Header + "2025-03-30,BTC,2,USD\n"));
        using var delete = await viewer.PostDirectAsync(PricesPage(workspaceId) + "?handler=Delete");

        Assert.Single(page.QuerySelectorAll("tbody tr"));
        Assert.Null(page.QuerySelector("form[action*='handler=Import']"));
        viewer.AssertStatus(HttpStatusCode.Forbidden, import);
        viewer.AssertStatus(HttpStatusCode.Forbidden, delete);
        Assert.Single(await QuotesAsync(workspaceId));
    }

    [Fact]
    public async Task AnotherWorkspacesPrices_AreNotFound()
    {
        var (_, workspaceId) = await OwnerAsync();
        var (stranger, _) = await OwnerAsync();

        using var get = await stranger.Http.GetAsync(new Uri(PricesPage(workspaceId), UriKind.Relative));
        using var delete = await stranger.PostDirectAsync(PricesPage(workspaceId) + "?handler=Delete");

        stranger.AssertStatus(HttpStatusCode.NotFound, get);
        stranger.AssertStatus(HttpStatusCode.NotFound, delete);
    }

    private static string PricesPage(Guid workspaceId) => $"/workspaces/{workspaceId}/portfolio/prices";

    private async Task<(PortalClient Client, Guid WorkspaceId)> OwnerAsync()
    {
        var (_, client) = await factory.SignedInUserAsync();
        return (client, await client.CreateWorkspaceAsync());
    }

    private static Task<HttpResponseMessage> UploadAsync(PortalClient client, Guid workspaceId, string csv) =>
        UploadAsync(client, workspaceId, Encoding.UTF8.GetBytes(csv));

    private static async Task<HttpResponseMessage> UploadAsync(PortalClient client, Guid workspaceId, byte[] content) =>
        await PostFileAsync(client, workspaceId, await client.GetPageAsync(PricesPage(workspaceId)), content);

    /// <summary>Submits the import form the way a browser does: multipart, with the page's antiforgery token.</summary>
    private static async Task<HttpResponseMessage> PostFileAsync(PortalClient client, Guid workspaceId, IHtmlDocument page, byte[] content)
    {
        var token = page.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value")
            ?? throw new InvalidOperationException("The page rendered no antiforgery token.");
        using var form = new MultipartFormDataContent();
        form.Add(new StringContent(token), "__RequestVerificationToken");
        var file = new ByteArrayContent(content);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "Upload", "prices.csv");
        return await client.Http.PostAsync(new Uri(PricesPage(workspaceId) + "?handler=Import", UriKind.Relative), form);
    }

    private static async Task<List<string>> ProblemsAsync(HttpResponseMessage response)
    {
        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        return [.. page.QuerySelectorAll("[aria-labelledby='problems-heading'] li").Select(li => li.TextContent.Trim())];
    }

    private Task<List<PriceQuote>> QuotesAsync(Guid workspaceId) =>
        factory.WithDbAsync(db => db.PriceQuotes.AsNoTracking().Where(q => q.WorkspaceId == workspaceId).OrderBy(q => q.Date).ToListAsync());
}
