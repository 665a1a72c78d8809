using System.Net;
using System.Text;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Pages;
using Kryptos.IntegrationTests.Workspaces;

namespace Kryptos.IntegrationTests.Portfolio.Importing;

/// <summary>
/// Small CSV files, imported during the upload: every row checked first, all or nothing, errors with
/// line and column, no duplicates on re-import, hostile input refused with a message.
/// </summary>
public sealed class CsvImportTests(PortfolioFactory factory) : IClassFixture<PortfolioFactory>
{
    private const string ThreeRows = ImportIntents.Header + "\n" +
        "k-1,2024-01-15T10:00:00Z,Trade,Buy,BTC,0.5,42000,USD,21000,1,USD,5,1,USD,,First bitcoin\n" +
        "k-2,2024-03-01T08:30:00+02:00,Income,StakingRewards,ETH,0.01,3400,,,,,,,,,\n" +
        "k-3,2024-04-02 12:00:00,Transfer,Transfer,,,,BTC,0.1,,BTC,0.0001,,,Cold wallet,To the Ledger\n";

    [Fact]
    public async Task SmallFile_IsImportedAtOnce_WithItsLines_AndReimportingCreatesNoDuplicates()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Import");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var cold = await factory.AddExchangeAsync(client, workspaceId, "Cold wallet", "coinbase");
        var invalidationsBefore = factory.InvalidationsOf(workspaceId);

        using var response = await client.UploadAsync(workspaceId, ThreeRows, kraken);

        var jobId = ImportIntents.JobIdOf(client, response);
        var job = await factory.JobAsync(jobId);
        Assert.Equal((JobStatus.Succeeded, 3, 3, 3, 0, (byte[]?)null), (job.Status, job.TotalRows, job.ProcessedRows, job.ImportedCount, job.DuplicateCount, job.Content));
        var stored = (await factory.TransactionsAsync(workspaceId)).OrderBy(t => t.OccurredAt).ToList();
        Assert.Equal(3, stored.Count);
        Assert.All(stored, t => Assert.Equal((TransactionOrigin.Csv, (Guid?)jobId, kraken), (t.Origin, t.ImportJobId, t.IntegrationId)));
        Assert.Equal(["id:k-1", "id:k-2", "id:k-3"], stored.Select(t => t.ExternalId));
        Assert.Equal([(LineDirection.In, "BTC", 0.5m, (decimal?)42000m), (LineDirection.Out, "USD", 21000m, 1m), (LineDirection.Fee, "USD", 5m, 1m)],
            stored[0].Lines.OrderBy(l => l.Direction).Select(l => (l.Direction, l.Asset, l.Quantity, l.UnitPrice)));
        // 08:30 at +02:00 is 06:30 UTC; a time without an offset is UTC.
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 6, 30, 0, TimeSpan.Zero), stored[1].OccurredAt);
        Assert.Equal((TransactionType.Transfer, (Guid?)cold, "To the Ledger"), (stored[2].Type, stored[2].CounterpartIntegrationId, stored[2].Description));
        Assert.Equal(new DateTimeOffset(2024, 4, 2, 12, 0, 0, TimeSpan.Zero), stored[2].OccurredAt);
        var account = (await factory.IntegrationsAsync(workspaceId)).Single(i => i.Id == kraken);
        Assert.Equal(SyncStatus.Synced, account.SyncStatus);
        Assert.NotNull(account.LastSyncedAt);
        Assert.True(factory.InvalidationsOf(workspaceId) > invalidationsBefore);

        var page = await client.FollowAsync(response);
        Assert.Equal("Succeeded", page.QuerySelector("#job-status")!.TextContent);
        Assert.Equal("3 transaction(s)", page.QuerySelector("#job-imported")!.TextContent);
        Assert.False(response.Headers.Contains("Refresh"));

        using var again = await client.UploadAsync(workspaceId, ThreeRows, kraken);
        var second = await factory.JobAsync(ImportIntents.JobIdOf(client, again));
        Assert.Equal((JobStatus.Succeeded, 0, 3), (second.Status, second.ImportedCount, second.DuplicateCount));
        Assert.Equal(3, (await factory.TransactionsAsync(workspaceId)).Count);
        var audit = await factory.AuditEventsAsync(workspaceId, AuditActions.TransactionsImported);
        Assert.Equal([
            "Imported 3 transaction(s) from \"transactions.csv\" into \"Kraken\" (0 duplicate row(s) skipped)",
            "Imported 0 transaction(s) from \"transactions.csv\" into \"Kraken\" (3 duplicate row(s) skipped)",
        ], audit.Select(e => e.Summary));
        Assert.All(audit, e => Assert.Equal(user.Email, e.ActorEmail));
        client.Dispose();
    }

    [Fact]
    public async Task RowsWithoutId_AreRecognisedByTheirContent_EvenWrittenDifferently()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Hashes");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        const string first = "time,type,label,in_asset,in_quantity,in_price,out_asset,out_quantity\n" +
            "2024-01-15T10:00:00Z,Trade,Buy,BTC,0.5,42000,USD,21000\n" +
            "2024-01-16T10:00:00Z,Trade,Buy,BTC,0.5,42000,USD,21000\n";
        // The same two transactions: another column order, 0.50 for 0.5, an offset, a lower-case symbol; plus one new row.
        const string second = "label,type,time,out_asset,out_quantity,in_asset,in_quantity,in_price\n" +
            "Buy,Trade,2024-01-15T11:00:00+01:00,USD,21000.00,btc,0.50,42000\n" +
            "buy,trade,2024-01-16T10:00:00Z,USD,21000,BTC,0.5,42000.0\n" +
            "Buy,Trade,2024-01-17T10:00:00Z,USD,21000,BTC,0.5,42000\n";

        using var one = await client.UploadAsync(workspaceId, first, kraken);
        Assert.Equal(2, (await factory.JobAsync(ImportIntents.JobIdOf(client, one))).ImportedCount);
        using var two = await client.UploadAsync(workspaceId, second, kraken);

        var job = await factory.JobAsync(ImportIntents.JobIdOf(client, two));
        Assert.Equal((JobStatus.Succeeded, 1, 2), (job.Status, job.ImportedCount, job.DuplicateCount));
        Assert.Equal(3, (await factory.TransactionsAsync(workspaceId)).Count);
        Assert.All(await factory.TransactionsAsync(workspaceId), t => Assert.StartsWith("sha256:", t.ExternalId, StringComparison.Ordinal));
        client.Dispose();
    }

    [Fact]
    public async Task AnyBadRow_ImportsNothing_AndEveryProblemIsReportedWithLineAndColumn()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("All Or Nothing");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var (_, stranger) = await factory.SignedInUserAsync();
        var theirs = await stranger.CreateWorkspaceAsync("Theirs");
        var strangersAccount = await factory.AddExchangeAsync(stranger, theirs, "Their account");
        var csv = ImportIntents.Header + "\n" +
            "a-1,2024-01-15T10:00:00Z,Trade,Buy,BTC,0.5,42000,USD,21000,1,,,,,,fine\n" +                                   // line 2: valid
            "a-2,2024-01-16T10:00:00Z,Trade,StakingRewards,BTC,0.5,42000,USD,21000,1,,,,,,\n" +                            // line 3: label
            "a-3,15/01/2024,Trade,Buy,BTC,-1,42000,USD,21000,1,,,,,,\n" +                                                   // line 4: time and quantity
            "a-4,2024-01-17T10:00:00Z,Trade,Buy,BTC,0.5,42000,USD,21000,1,,,,EUR,,\n" +                                     // line 5: currency
            $"a-5,2024-01-18T10:00:00Z,Transfer,Transfer,,,,BTC,0.1,,,,,,{strangersAccount},\n" +                          // line 6: another workspace's account
            "a-6,1999-01-01T00:00:00Z,Deposit,Deposit,BTC,99999999999999999999,,,,,,,,,,\n" +                              // line 7: date and huge number
            "a-1,2024-01-19T10:00:00Z,Trade,Buy,BTC,0.5,42000,USD,21000,1,,,,,,\n";                                         // line 8: id used on line 2

        using var response = await client.UploadAsync(workspaceId, csv, kraken);

        var job = await factory.JobAsync(ImportIntents.JobIdOf(client, response));
        Assert.Equal((JobStatus.Failed, 0, 7), (job.Status, job.ImportedCount, job.TotalRows));
        Assert.Empty(await factory.TransactionsAsync(workspaceId));
        Assert.Equal(SyncStatus.Failed, Assert.Single(await factory.IntegrationsAsync(workspaceId)).SyncStatus);
        var page = await client.FollowAsync(response);
        var errors = page.QuerySelectorAll("#job-errors tbody tr")
            .Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToArray())
            .Select(c => (Line: c[0], Column: c[1], Message: c[2])).ToList();
        Assert.Equal(
            [("3", "label"), ("4", "time"), ("4", "in_quantity"), ("5", "currency"), ("6", "counterpart"), ("7", "time"), ("7", "in_quantity"), ("8", "id")],
            errors.Select(e => (e.Line, e.Column)));
        Assert.Equal("A Trade is labelled Buy, Sell, Swap.", errors[0].Message);
        Assert.Contains("ISO 8601", errors[1].Message, StringComparison.Ordinal);
        Assert.Equal("The quantity must be greater than 0.", errors[2].Message);
        Assert.Equal("Prices must be in the workspace's base currency, USD.", errors[3].Message);
        Assert.StartsWith($"No account \"{strangersAccount}\" in this workspace", errors[4].Message, StringComparison.Ordinal);
        Assert.Equal("The quantity can be at most 1,000,000,000,000,000.", errors[6].Message);
        Assert.Equal("The id \"a-1\" is already used on line 2.", errors[7].Message);
        Assert.Contains("Nothing was imported", page.QuerySelector(".alert.error")!.TextContent, StringComparison.Ordinal);
        client.Dispose();
        stranger.Dispose();
    }

    [Fact]
    public async Task HeaderProblems_AreReportedOnLineOne()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Headers");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");

        using var response = await client.UploadAsync(workspaceId, "when,type,lable\n2024-01-01,Deposit,Deposit\n", kraken);

        var page = await client.FollowAsync(response);
        var rows = page.QuerySelectorAll("#job-errors tbody tr").Select(r => r.TextContent).ToList();
        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.StartsWith("1", r.Trim(), StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("Unknown column \"when\"", StringComparison.Ordinal));
        Assert.Contains(rows, r => r.Contains("The header has no \"label\" column", StringComparison.Ordinal));
        client.Dispose();
    }

    [Fact]
    public async Task FormulaText_IsStoredAsText_AndShownEncoded()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Formulas");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        const string formula = "=HYPERLINK(\"http://evil.example\",\"<b>x</b>\")";
        var csv = "time,type,label,in_asset,in_quantity,description\n2024-01-01T00:00:00Z,Deposit,Deposit,BTC,1,\"" + formula.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"\n";

        using var response = await client.UploadAsync(workspaceId, csv, kraken);

        Assert.Equal(JobStatus.Succeeded, (await factory.JobAsync(ImportIntents.JobIdOf(client, response))).Status);
        Assert.Equal(formula, Assert.Single(await factory.TransactionsAsync(workspaceId)).Description);
        using var list = await client.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/transactions", UriKind.Relative));
        var html = await list.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<b>x</b>", html, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;x&lt;/b&gt;", html, StringComparison.Ordinal);
        client.Dispose();
    }

    [Theory]
    [InlineData("nul", "NUL bytes")]
    [InlineData("latin1", "not UTF-8 text")]
    [InlineData("empty", "Choose a CSV file to import.")]
    [InlineData("blank", "The file is empty.")]
    public async Task UnreadableFile_IsRefusedAtOnce_WithAMessage_AndNoJob(string kind, string message)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Hostile");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var content = kind switch
        {
            "nul" => Encoding.UTF8.GetBytes("time,type,label\n2024-01-01,Deposit\0,Deposit\n"),
            "latin1" => [.. Encoding.UTF8.GetBytes("time,type,label,description\n2024-01-01,Deposit,Deposit,caf"), 0xE9, (byte)'\n'],
            "empty" => [],
            _ => Encoding.UTF8.GetBytes("\n\n   \n"),
        };

        using var response = await client.UploadAsync(workspaceId, content, kraken.ToString());

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, (await PortalClient.ReadPageAsync(response)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await factory.TransactionsAsync(workspaceId));
        Assert.Equal(0, await factory.WithDbAsync(db => Task.FromResult(db.ImportJobs.Count(j => j.WorkspaceId == workspaceId))));
        client.Dispose();
    }

    [Fact]
    public async Task AnotherWorkspacesAccount_AsTheTarget_IsRefused()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Mine");
        await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var (_, stranger) = await factory.SignedInUserAsync();
        var theirs = await stranger.CreateWorkspaceAsync("Theirs");
        var strangersAccount = await factory.AddExchangeAsync(stranger, theirs, "Their account");

        using var response = await client.UploadAsync(workspaceId, ThreeRows, strangersAccount);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Choose an account of this workspace.", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await factory.TransactionsAsync(theirs));
        Assert.Empty(await factory.TransactionsAsync(workspaceId));
        client.Dispose();
        stranger.Dispose();
    }

    [Fact]
    public async Task ANewCsvSource_IsCreatedWhenChosen()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("New Source");
        await factory.AddExchangeAsync(client, workspaceId, "Cold wallet");

        using var response = await client.UploadAsync(workspaceId, Encoding.UTF8.GetBytes(ThreeRows), "new", newSourceName: "Old exchange export");

        Assert.Equal(JobStatus.Succeeded, (await factory.JobAsync(ImportIntents.JobIdOf(client, response))).Status);
        var source = (await factory.IntegrationsAsync(workspaceId)).Single(i => i.Name == "Old exchange export");
        Assert.Equal((IntegrationKind.Csv, "csv", SyncStatus.Synced), (source.Kind, source.ProviderId, source.SyncStatus));
        Assert.Equal(3, (await factory.TransactionsAsync(workspaceId)).Count(t => t.IntegrationId == source.Id));
        client.Dispose();
    }

    [Fact]
    public async Task Viewer_CannotImport_AndStrangersGet404ForTheJob()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Guarded Imports");
        var kraken = await factory.AddExchangeAsync(owner, workspaceId, "Kraken");
        await factory.AddExchangeAsync(owner, workspaceId, "Cold wallet", "coinbase");
        using var imported = await owner.UploadAsync(workspaceId, ThreeRows, kraken);
        var jobId = ImportIntents.JobIdOf(owner, imported);
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);

        var page = await viewer.GetPageAsync($"/workspaces/{workspaceId}/portfolio/import");
        Assert.Null(page.QuerySelector("form[enctype='multipart/form-data']"));
        await viewer.GetPageAsync($"/workspaces/{workspaceId}/portfolio/import/{jobId}");
        using var refused = await viewer.UploadAsync(workspaceId, Encoding.UTF8.GetBytes(ImportIntents.Buys(2)), kraken.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        Assert.Equal(3, (await factory.TransactionsAsync(workspaceId)).Count);

        var (_, stranger) = await factory.SignedInUserAsync();
        var theirs = await stranger.CreateWorkspaceAsync("Theirs");
        using var job = await stranger.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/import/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, job.StatusCode);
        using var jobElsewhere = await stranger.Http.GetAsync(new Uri($"/workspaces/{theirs}/portfolio/import/{jobId}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, jobElsewhere.StatusCode);
        owner.Dispose();
        viewer.Dispose();
        stranger.Dispose();
    }
}
