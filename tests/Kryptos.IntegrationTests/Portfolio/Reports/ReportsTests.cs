using System.Net;
using System.Text;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Reports;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Engine;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Portfolio.Reports;

/// <summary>
/// The reports page, the background worker and the download: who may generate, who may download,
/// what the CSV holds, and what hostile input gets.
/// </summary>
public sealed class ReportsTests(PortfolioFactory factory) : IClassFixture<PortfolioFactory>
{
    private static string PageOf(Guid workspaceId) => $"/workspaces/{workspaceId}/portfolio/reports";

    /// <summary>The unit tests' FIFO example: 1 BTC at 10,000, 1 BTC at 20,000, 1.5 BTC sold at 30,000.</summary>
    private async Task<(PortalClient Owner, Guid WorkspaceId)> WorkspaceWithASaleAsync()
    {
        factory.Prices.Gate = null;
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Reports desk");
        var account = await factory.AddAccountAsync(workspaceId, "Coinbase");
        await factory.TradeAsync(workspaceId, account, "2024-01-10", "BTC", 1, 10_000);
        await factory.TradeAsync(workspaceId, account, "2024-02-10", "BTC", 1, 20_000);
        await factory.TradeAsync(workspaceId, account, "2024-06-10", "BTC", -1.5m, 30_000);
        return (owner, workspaceId);
    }

    private static async Task<HttpResponseMessage> GenerateAsync(PortalClient client, Guid workspaceId, ReportKind kind, int? year = 2024)
    {
        var fields = new Dictionary<string, string> { ["Input.Kind"] = kind.ToString() };
        if (year is { } y)
        {
            fields["Input.Year"] = y.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await client.SubmitAsync(PageOf(workspaceId), fields);
    }

    private async Task<Report> FinishedReportAsync(Guid workspaceId)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (true)
        {
            var report = await factory.WithDbAsync(db => db.Reports.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).OrderByDescending(r => r.CreatedAt).FirstAsync());
            if (report.Status is JobStatus.Succeeded or JobStatus.Failed)
            {
                return report;
            }

            Assert.True(DateTime.UtcNow < deadline, $"The report is still {report.Status}.{Environment.NewLine}{factory.LoggedErrors}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task Owner_GeneratesACapitalGainsReport_ThatTheWorkerFinishes_AndDownloadsIt()
    {
        var (owner, workspaceId) = await WorkspaceWithASaleAsync();

        using var response = await GenerateAsync(owner, workspaceId, ReportKind.CapitalGains);
        owner.AssertStatus(HttpStatusCode.Redirect, response);
        var report = await FinishedReportAsync(workspaceId);
        Assert.Equal((JobStatus.Succeeded, 100, 2), (report.Status, report.Progress, report.RowCount));

        var page = await owner.GetPageAsync(PageOf(workspaceId));
        var link = page.QuerySelector($"a[href='{PageOf(workspaceId)}/{report.Id}/download']");
        Assert.NotNull(link);
        Assert.Equal("capital-gains-2024.csv", link.TextContent.Trim());

        using var download = await owner.Http.GetAsync(link.GetAttribute("href"));
        owner.AssertStatus(HttpStatusCode.OK, download);
        Assert.Equal("text/csv", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("capital-gains-2024.csv", download.Content.Headers.ContentDisposition.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);

        // FIFO: the January lot (cost 10,000) for 30,000, half the February lot (cost 10,000) for 15,000.
        var lines = (await download.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("disposed_at,acquired_at,asset,quantity,proceeds,cost_basis,gain,term,currency,account,transaction_id", lines[0]);
        Assert.StartsWith("2024-06-10T12:00:00Z,2024-01-10T12:00:00Z,BTC,1,30000,10000,20000,short,USD,Coinbase,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("2024-06-10T12:00:00Z,2024-02-10T12:00:00Z,BTC,0.5,15000,10000,5000,short,USD,Coinbase,", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        owner.Dispose();
    }

    [Fact]
    public async Task IncomeAndHistoryReports_HoldTheirRows()
    {
        var (owner, workspaceId) = await WorkspaceWithASaleAsync();
        var account = await factory.WithDbAsync(db => db.Integrations.Where(i => i.WorkspaceId == workspaceId).Select(i => i.Id).SingleAsync());
        await factory.AddTransactionAsync(workspaceId, account, "2024-05-01", TransactionType.Income, TransactionLabel.StakingRewards, (LineDirection.In, "ETH", 0.5m, 2_000m));
        factory.Views.Invalidate(workspaceId);

        using (var income = await GenerateAsync(owner, workspaceId, ReportKind.Income))
        {
            owner.AssertStatus(HttpStatusCode.Redirect, income);
        }

        var incomeReport = await FinishedReportAsync(workspaceId);
        var incomeCsv = Encoding.UTF8.GetString(incomeReport.Content!);

        // 0.5 ETH at 2,000 = 1,000 of staking income.
        Assert.Contains("\r\n2024-05-01T12:00:00Z,ETH,0.5,1000,USD,StakingRewards,Coinbase,", incomeCsv, StringComparison.Ordinal);
        Assert.Equal(1, incomeReport.RowCount);

        using (var history = await GenerateAsync(owner, workspaceId, ReportKind.TransactionHistory, year: null))
        {
            owner.AssertStatus(HttpStatusCode.Redirect, history);
        }

        var historyReport = await FinishedReportAsync(workspaceId);

        // Four transactions: three trades of two lines each and the reward's one line.
        Assert.Equal((ReportKind.TransactionHistory, (int?)null, 7), (historyReport.Kind, historyReport.Year, historyReport.RowCount));
        owner.Dispose();
    }

    [Fact]
    public async Task TextThatLooksLikeAFormula_IsEscapedInTheCsv_NumbersAreNot()
    {
        var (owner, workspaceId) = await WorkspaceWithASaleAsync();
        var evil = await factory.AddAccountAsync(workspaceId, "@SUM(1+1)");
        var transactionId = await factory.AddTransactionAsync(workspaceId, evil, "2024-07-01", TransactionType.Deposit, TransactionLabel.Deposit, (LineDirection.In, "USD", 5m, 1m));
        await factory.WithDbAsync(async db =>
        {
            var transaction = await db.Transactions.SingleAsync(t => t.Id == transactionId);
            transaction.Description = "=HYPERLINK(\"https://evil.example\",\"click\")";
            transaction.ExternalId = "-2+3";
            return await db.SaveChangesAsync();
        });

        using (var response = await GenerateAsync(owner, workspaceId, ReportKind.TransactionHistory, year: null))
        {
            owner.AssertStatus(HttpStatusCode.Redirect, response);
        }

        var csv = Encoding.UTF8.GetString((await FinishedReportAsync(workspaceId)).Content!);
        var row = csv.Split("\r\n").Single(l => l.Contains(transactionId.ToString(), StringComparison.Ordinal));
        Assert.Contains(",\"'@SUM(1+1)\",", row, StringComparison.Ordinal);
        Assert.EndsWith(",\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"click\"\")\",\"'-2+3\"", row, StringComparison.Ordinal);

        // The amount is a number: 5 USD at 1.
        Assert.Contains(",In,USD,5,1,USD,", row, StringComparison.Ordinal);
        owner.Dispose();
    }

    [Fact]
    public async Task Viewer_SeesAndDownloadsReports_ButCannotGenerateThem()
    {
        var (owner, workspaceId) = await WorkspaceWithASaleAsync();
        using (var response = await GenerateAsync(owner, workspaceId, ReportKind.CapitalGains))
        {
            owner.AssertStatus(HttpStatusCode.Redirect, response);
        }

        var report = await FinishedReportAsync(workspaceId);
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);

        var page = await viewer.GetPageAsync(PageOf(workspaceId));
        Assert.Null(page.QuerySelector("select[name='Input.Kind']"));
        using (var download = await viewer.Http.GetAsync($"{PageOf(workspaceId)}/{report.Id}/download"))
        {
            viewer.AssertStatus(HttpStatusCode.OK, download);
        }

        // A hand-made POST with the viewer's own antiforgery token (from the settings page's form).
        var settings = await viewer.GetPageAsync($"/workspaces/{workspaceId}/settings");
        using var post = await viewer.SubmitAsync(settings, PageOf(workspaceId), new Dictionary<string, string>
        {
            ["Input.Kind"] = nameof(ReportKind.Income),
            ["Input.Year"] = "2024",
        }, "main form:not([action])");
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        Assert.Equal(1, await factory.WithDbAsync(db => db.Reports.CountAsync(r => r.WorkspaceId == workspaceId)));
        viewer.Dispose();
        owner.Dispose();
    }

    [Fact]
    public async Task Outsiders_GetNotFound_ForThePageAndTheDownload_EvenThroughTheirOwnWorkspace()
    {
        var (owner, workspaceId) = await WorkspaceWithASaleAsync();
        using (var response = await GenerateAsync(owner, workspaceId, ReportKind.CapitalGains))
        {
            owner.AssertStatus(HttpStatusCode.Redirect, response);
        }

        var report = await FinishedReportAsync(workspaceId);
        var (_, outsider) = await factory.SignedInUserAsync();
        var theirs = await outsider.CreateWorkspaceAsync("Theirs");

        using var page = await outsider.Http.GetAsync(PageOf(workspaceId));
        using var download = await outsider.Http.GetAsync($"{PageOf(workspaceId)}/{report.Id}/download");
        using var viaOwnWorkspace = await outsider.Http.GetAsync($"{PageOf(theirs)}/{report.Id}/download");
        using var unknown = await owner.Http.GetAsync($"{PageOf(workspaceId)}/{Guid.NewGuid()}/download");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, download.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, viaOwnWorkspace.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        outsider.Dispose();
        owner.Dispose();
    }

    [Theory]
    [InlineData("Hack", "2024")]
    [InlineData("CapitalGains\0", "2024")]
    [InlineData("", "2024")]
    [InlineData("CapitalGains", "1800")]
    [InlineData("Income", "99999999999999999999")]
    [InlineData("Income", "2999")]
    public async Task BadInput_IsRefusedWithAMessage_AndQueuesNothing(string kind, string year)
    {
        var (owner, workspaceId) = await WorkspaceWithASaleAsync();

        using var response = await owner.SubmitAsync(PageOf(workspaceId), new Dictionary<string, string>
        {
            ["Input.Kind"] = kind,
            ["Input.Year"] = year,
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        if (!kind.Contains('\0', StringComparison.Ordinal))
        {
            // (A NUL byte in any form is refused by the host before the page sees it, also with 400.)
            var page = await PortalClient.ReadPageAsync(response);
            Assert.NotEmpty(page.QuerySelectorAll(".field-validation-error, .alert.error"));
        }

        Assert.Equal(0, await factory.WithDbAsync(db => db.Reports.CountAsync(r => r.WorkspaceId == workspaceId)));
        owner.Dispose();
    }

    [Fact]
    public async Task AWorkspaceCannotPileUpReports()
    {
        var (owner, workspaceId) = await WorkspaceWithASaleAsync();

        // Hold the worker: computing the snapshot waits for prices.
        factory.Prices.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        factory.Views.Invalidate(workspaceId);
        try
        {
            for (var i = 0; i < ReportService.MaxPending; i++)
            {
                using var accepted = await GenerateAsync(owner, workspaceId, ReportKind.CapitalGains);
                owner.AssertStatus(HttpStatusCode.Redirect, accepted);
            }

            using var refused = await GenerateAsync(owner, workspaceId, ReportKind.CapitalGains);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var page = await PortalClient.ReadPageAsync(refused);
            Assert.Contains("wait for them to finish", page.QuerySelector(".field-validation-error, .alert.error")!.TextContent, StringComparison.Ordinal);

            // While reports are pending the page refreshes itself and shows their progress.
            using var listing = await owner.Http.GetAsync(PageOf(workspaceId));
            Assert.Equal("3", listing.Headers.GetValues("Refresh").Single());
            Assert.NotEmpty((await PortalClient.ReadPageAsync(listing)).QuerySelectorAll("progress"));
        }
        finally
        {
            factory.Prices.Gate.SetResult();
            factory.Prices.Gate = null;
        }

        Assert.Equal(JobStatus.Succeeded, (await FinishedReportAsync(workspaceId)).Status);
        owner.Dispose();
    }
}
