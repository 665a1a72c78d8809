using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Importing;

/// <summary>
/// Runs queued import jobs one at a time (one writer keeps SQLite free of write contention). On start
/// it takes up the jobs a previous process left Queued or Running: a Running job had not committed
/// anything (an import commits in one transaction), so it simply runs again.
/// </summary>
internal sealed partial class ImportWorker(IServiceScopeFactory scopes, ImportBacklog queue, ILogger<ImportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ResumeAsync(stoppingToken);
            await foreach (var jobId in queue.ReadAllAsync(stoppingToken))
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ImportProcessor>().RunAsync(jobId, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: an interrupted job stays Running and is resumed by the next start.
        }
    }

    private async Task ResumeAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        await db.ImportJobs.Where(j => j.Status == JobStatus.Running)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Queued), cancellationToken);
        var unfinished = await db.ImportJobs.Where(j => j.Status == JobStatus.Queued).OrderBy(j => j.CreatedAt).Select(j => j.Id).ToListAsync(cancellationToken);
        foreach (var jobId in unfinished)
        {
            queue.Enqueue(jobId);
        }

        if (unfinished.Count > 0)
        {
            LogResumed(unfinished.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming {Count} unfinished import job(s).")]
    private partial void LogResumed(int count);
}
