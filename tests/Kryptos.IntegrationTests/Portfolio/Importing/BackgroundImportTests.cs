using System.Diagnostics;
using System.Net;
using System.Text;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Pages;
using Kryptos.IntegrationTests.Workspaces;
using Xunit.Abstractions;

namespace Kryptos.IntegrationTests.Portfolio.Importing;

/// <summary>A host whose imports of more than 2 rows run in the background, and whose files are capped at 3,000 rows.</summary>
public sealed class BackgroundImportFactory : PortfolioFactory
{
    public BackgroundImportFactory()
    {
        With("Portfolio:Import:InlineRows", "2");
        With("Portfolio:Import:MaxRows", "3000");
    }
}

/// <summary>Large files: the request returns at once, the worker imports with visible progress, and a restart resumes queued jobs.</summary>
public sealed class BackgroundImportTests(BackgroundImportFactory factory, ITestOutputHelper output) : IClassFixture<BackgroundImportFactory>
{
    [Fact]
    public async Task LargeFile_IsImportedInTheBackground_AndTheJobPageShowsProgressThenTheResult()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Large");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");

        var clock = Stopwatch.StartNew();
        using var response = await client.UploadAsync(workspaceId, ImportIntents.Buys(3_000), kraken);
        var uploaded = clock.Elapsed;
        var jobId = ImportIntents.JobIdOf(client, response);
        var page = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio/import/{jobId}");
        var status = page.QuerySelector("#job-status")!.TextContent;
        if (status is "Queued" or "Running")
        {
            // Unfinished: the page says so and reloads itself.
            using var unfinished = await client.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/import/{jobId}", UriKind.Relative));
            Assert.True(unfinished.Headers.Contains("Refresh") || (await factory.JobAsync(jobId)).Status is JobStatus.Succeeded);
        }

        var job = await factory.FinishedJobAsync(jobId);
        output.WriteLine($"3,000 rows: upload answered in {uploaded.TotalMilliseconds:N0} ms, imported after {clock.Elapsed.TotalMilliseconds:N0} ms.");
        Assert.Equal((JobStatus.Succeeded, 3_000, 3_000, 3_000, 0), (job.Status, job.TotalRows, job.ProcessedRows, job.ImportedCount, job.DuplicateCount));
        var stored = await factory.TransactionsAsync(workspaceId);
        Assert.Equal(3_000, stored.Count);
        // Written in several multi-row statements: every row and line arrives, none twice, with its values.
        Assert.Equal(3_000, stored.Select(t => t.ExternalId).Distinct().Count());
        Assert.Equal(3m, stored.SelectMany(t => t.Lines).Where(l => l.Asset == "BTC").Sum(l => l.Quantity));
        Assert.Equal(120_000m, stored.SelectMany(t => t.Lines).Where(l => l.Asset == "USD").Sum(l => l.Quantity));
        Assert.Equal(new DateTimeOffset(2024, 1, 3, 1, 59, 0, TimeSpan.Zero), stored.Max(t => t.OccurredAt));
        // The worker ran it, but the audit log names the person who uploaded the file.
        var audit = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.TransactionsImported));
        Assert.Equal(user.Email, audit.ActorEmail);
        Assert.Equal(SyncStatus.Synced, Assert.Single(await factory.IntegrationsAsync(workspaceId)).SyncStatus);

        var done = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio/import/{jobId}");
        Assert.Equal("Succeeded", done.QuerySelector("#job-status")!.TextContent);
        Assert.Equal("3000 of 3000", done.QuerySelector("#job-rows")!.TextContent);
        using var final = await client.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/import/{jobId}", UriKind.Relative));
        Assert.False(final.Headers.Contains("Refresh"));
        var list = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio/import");
        Assert.Contains("Succeeded", list.QuerySelector("main table tbody tr")!.TextContent, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task FileOverTheRowCap_IsRefusedAtOnce()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Too Many");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");

        using var response = await client.UploadAsync(workspaceId, ImportIntents.Buys(3_001, withIds: false), kraken);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("The file has 3,001 rows; at most 3,000", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await factory.TransactionsAsync(workspaceId));
        client.Dispose();
    }

    [Fact]
    public async Task QueuedJob_IsResumedAfterARestart()
    {
        await using var first = new PortfolioFactory { DeleteRootOnDispose = false };
        var (_, client) = await first.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Restart");
        var kraken = await first.AddExchangeAsync(client, workspaceId, "Kraken");
        client.Dispose();
        // A job the previous process accepted but never ran (it stopped first).
        var jobId = await first.WithDbAsync(async db =>
        {
            var job = new ImportJob
            {
                WorkspaceId = workspaceId,
                IntegrationId = kraken,
                FileName = "left-behind.csv",
                Content = Encoding.UTF8.GetBytes(ImportIntents.Buys(5)),
                TotalRows = 5,
                CreatedAt = DateTimeOffset.UtcNow,
            };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            return job.Id;
        });
        var root = first.Root;
        await first.DisposeAsync();

        await using var restarted = new RestartedPortfolioFactory(root);

        var finished = await restarted.FinishedJobAsync(jobId);
        Assert.Equal((JobStatus.Succeeded, 5, 5), (finished.Status, finished.ProcessedRows, finished.ImportedCount));
        Assert.Equal(5, (await restarted.TransactionsAsync(workspaceId)).Count);
    }
}
