using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Reports;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Engine;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Portfolio.Reports;

/// <summary>Reports left queued or running when the host stopped are generated after it starts again.</summary>
public sealed class ReportResumeTests
{
    [Fact]
    public async Task QueuedAndRunningReports_AreFinishedAfterARestart()
    {
        string root;
        Guid workspaceId;
        await using (var first = new KryptosFactory { DeleteRootOnDispose = false })
        {
            root = first.Root;
            var (_, owner) = await first.SignedInUserAsync();
            workspaceId = await owner.CreateWorkspaceAsync();
            var account = await first.AddAccountAsync(workspaceId);
            await first.TradeAsync(workspaceId, account, "2024-01-10", "BTC", 1, 10_000);
            await first.TradeAsync(workspaceId, account, "2024-06-10", "BTC", -1, 30_000);

            // What a crash leaves: rows the worker never saw, or was in the middle of.
            await first.WithDbAsync(db =>
            {
                db.Reports.Add(new Report { WorkspaceId = workspaceId, Kind = ReportKind.CapitalGains, Year = 2024, CreatedAt = DateTimeOffset.UtcNow });
                db.Reports.Add(new Report { WorkspaceId = workspaceId, Kind = ReportKind.TransactionHistory, Status = JobStatus.Running, Progress = 40, CreatedAt = DateTimeOffset.UtcNow });
                return db.SaveChangesAsync();
            });
            owner.Dispose();
        }

        await using var restarted = new SameRootFactory(root);
        _ = restarted.Services;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        List<Report> reports;
        do
        {
            await Task.Delay(50);
            reports = await restarted.WithDbAsync(db => db.Reports.AsNoTracking().Where(r => r.WorkspaceId == workspaceId).ToListAsync());
            Assert.True(DateTime.UtcNow < deadline, "The reports were not resumed." + restarted.LoggedErrors);
        }
        while (reports.Any(r => r.Status != JobStatus.Succeeded));

        // The sale: 30,000 − 10,000 = 20,000, one row; the history: two trades of two lines.
        Assert.Equal(1, reports.Single(r => r.Kind == ReportKind.CapitalGains).RowCount);
        Assert.Equal(4, reports.Single(r => r.Kind == ReportKind.TransactionHistory).RowCount);
        Assert.All(reports, r => Assert.Equal(100, r.Progress));
    }

    private sealed class SameRootFactory(string root) : KryptosFactory(root);
}
