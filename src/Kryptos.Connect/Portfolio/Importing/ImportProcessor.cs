using System.Diagnostics;
using System.Text.Json;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Importing;

/// <summary>
/// Runs one import job: claims it, validates every row (reporting progress), then writes all new
/// transactions in one database transaction together with the job's final status, so an import is
/// all or nothing. Rows already imported (same id, or same content without id) are counted as
/// duplicates and skipped. The integration's sync status follows the job (Syncing → Synced/Failed).
/// </summary>
public sealed partial class ImportProcessor(KryptosDbContext db, IPortfolioViews views, AuditLog audit, TimeProvider time, ILogger<ImportProcessor> logger)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Runs the job if it is still queued (another runner may have taken it); never throws for a bad file.</summary>
    public async Task RunAsync(Guid jobId, CancellationToken cancellationToken = default)
    {
        var claimed = await db.ImportJobs.Where(j => j.Id == jobId && j.Status == JobStatus.Queued)
            .ExecuteUpdateAsync(set => set.SetProperty(j => j.Status, JobStatus.Running).SetProperty(j => j.StartedAt, time.GetUtcNow()), cancellationToken);
        if (claimed == 0)
        {
            return;
        }

        var job = await db.ImportJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, cancellationToken);
        try
        {
            await ImportAsync(job, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception exception) when (exception is DbUpdateException or InvalidOperationException or FormatException or OverflowException)
        {
            LogFailed(exception, jobId);
            db.ChangeTracker.Clear();
            await FinishFailedAsync(jobId, job.WorkspaceId, job.IntegrationId, JsonSerializer.Serialize(new[] { new CsvRowError(0, null, "The import failed unexpectedly; nothing was imported. Try again, or contact support if it happens again.") }, Json), cancellationToken);
        }
    }

    private async Task ImportAsync(ImportJob job, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == job.WorkspaceId).Select(w => new { w.BaseCurrency }).SingleAsync(cancellationToken);
        var accounts = await db.Integrations.AsNoTracking().Where(i => i.WorkspaceId == job.WorkspaceId).ToDictionaryAsync(i => i.Id, i => i.Name, cancellationToken);
        await SetSyncStatusAsync(job.IntegrationId, SyncStatus.Syncing, cancellationToken);

        if (TransactionCsv.Decode(job.Content ?? [], out var text) is { } fileError)
        {
            await FinishFailedAsync(job.Id, job.WorkspaceId, job.IntegrationId, Serialize([new(0, null, fileError)]), cancellationToken);
            return;
        }

        var context = new CsvContext(job.IntegrationId, workspace.BaseCurrency, accounts, time.GetUtcNow());
        var lastReport = 0;
        var read = TransactionCsv.Read(text, context, processed =>
        {
            // Progress is written outside any transaction, a few times per file, so the job page sees it move.
            if (processed - lastReport >= Math.Max(500, job.TotalRows / 20))
            {
                lastReport = processed;
                db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdate(set => set.SetProperty(j => j.ProcessedRows, processed));
            }
        });
        var validated = clock.Elapsed;
        if (read.Errors.Count > 0)
        {
            await FinishFailedAsync(job.Id, job.WorkspaceId, job.IntegrationId, Serialize(read.Errors), cancellationToken, read.TotalRows);
            return;
        }

        var added = await SaveAsync(job, read, workspace.BaseCurrency, cancellationToken);
        var saved = clock.Elapsed - validated;
        views.Invalidate(job.WorkspaceId);
        LogImported(job.Id, added, read.TotalRows - added, read.TotalRows, (long)validated.TotalMilliseconds, (long)saved.TotalMilliseconds);
    }

    /// <summary>
    /// Writes a checked file's new rows, the job's final status and the account's sync status in one
    /// database transaction, and returns how many transactions were added. Rows already imported into
    /// the account are skipped.
    /// </summary>
    internal async Task<int> SaveAsync(ImportJob job, CsvReadResult read, string baseCurrency, CancellationToken cancellationToken)
    {
        // One query for every id already imported into this account: no query per row.
        var existing = (await db.Transactions.Where(t => t.IntegrationId == job.IntegrationId && t.ExternalId != null)
            .Select(t => t.ExternalId!).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var now = time.GetUtcNow();
        var transactions = new List<PortfolioTransaction>(read.Rows.Count);
        var lines = new List<TransactionLine>(read.Rows.Count * 2);
        foreach (var row in read.Rows)
        {
            if (!existing.Add(row.ExternalId))
            {
                continue;
            }

            var entity = new PortfolioTransaction
            {
                WorkspaceId = job.WorkspaceId,
                IntegrationId = job.IntegrationId,
                CounterpartIntegrationId = row.Draft.CounterpartIntegrationId,
                Type = row.Draft.Type,
                Label = row.Draft.Label,
                OccurredAt = row.Draft.OccurredAt,
                Description = row.Draft.Description,
                ExternalId = row.ExternalId,
                Origin = TransactionOrigin.Csv,
                ImportJobId = job.Id,
                CreatedAt = now,
                UpdatedAt = now,
            };
            transactions.Add(entity);
            foreach (var line in row.Draft.Lines)
            {
                lines.Add(new TransactionLine
                {
                    TransactionId = entity.Id,
                    Direction = line.Direction,
                    Asset = line.Asset,
                    Quantity = line.Quantity,
                    UnitPrice = line.UnitPrice,
                    Currency = baseCurrency,
                });
            }
        }

        // Everything in one database transaction: the rows, the job's final status and the account's
        // sync status, so a crash leaves the job queued-or-running with nothing half-written. The rows
        // go in as multi-row inserts (BulkInsert): tracking 10,000 entities is what made it slow.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var added = await db.BulkInsertAsync(transactions, cancellationToken: cancellationToken);
        await db.BulkInsertAsync(lines, cancellationToken: cancellationToken);
        var completedAt = time.GetUtcNow();
        await db.ImportJobs.Where(j => j.Id == job.Id).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Status, JobStatus.Succeeded)
            .SetProperty(j => j.TotalRows, read.TotalRows)
            .SetProperty(j => j.ProcessedRows, read.TotalRows)
            .SetProperty(j => j.ImportedCount, added)
            .SetProperty(j => j.DuplicateCount, read.TotalRows - added)
            .SetProperty(j => j.Content, (byte[]?)null)
            .SetProperty(j => j.Errors, (string?)null)
            .SetProperty(j => j.CompletedAt, completedAt), cancellationToken);
        await db.Integrations.Where(i => i.Id == job.IntegrationId)
            .ExecuteUpdateAsync(set => set.SetProperty(i => i.SyncStatus, SyncStatus.Synced).SetProperty(i => i.LastSyncedAt, now).SetProperty(i => i.UpdatedAt, now), cancellationToken);
        // The audit entry names the person who uploaded the file, also when the worker ran it.
        var uploader = job.CreatedByUserId is { } userId ? await db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Id == userId, cancellationToken) : null;
        var account = await db.Integrations.AsNoTracking().Where(i => i.Id == job.IntegrationId).Select(i => i.Name).SingleAsync(cancellationToken);
        audit.Record(job.WorkspaceId, AuditActions.TransactionsImported,
            $"Imported {added:N0} transaction(s) from \"{job.FileName}\" into \"{account}\" ({read.TotalRows - added:N0} duplicate row(s) skipped)", uploader);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return added;
    }

    private async Task FinishFailedAsync(Guid jobId, Guid workspaceId, Guid integrationId, string errors, CancellationToken cancellationToken, int? totalRows = null)
    {
        var now = time.GetUtcNow();
        await db.ImportJobs.Where(j => j.Id == jobId).ExecuteUpdateAsync(set => set
            .SetProperty(j => j.Status, JobStatus.Failed)
            .SetProperty(j => j.Errors, errors)
            .SetProperty(j => j.Content, (byte[]?)null)
            .SetProperty(j => j.ProcessedRows, j => totalRows ?? j.ProcessedRows)
            .SetProperty(j => j.TotalRows, j => totalRows ?? j.TotalRows)
            .SetProperty(j => j.CompletedAt, now), cancellationToken);
        await SetSyncStatusAsync(integrationId, SyncStatus.Failed, cancellationToken);
        views.Invalidate(workspaceId);
    }

    private Task<int> SetSyncStatusAsync(Guid integrationId, SyncStatus status, CancellationToken cancellationToken) =>
        db.Integrations.Where(i => i.Id == integrationId).ExecuteUpdateAsync(set => set.SetProperty(i => i.SyncStatus, status), cancellationToken);

    private static string Serialize(IReadOnlyList<CsvRowError> errors) => JsonSerializer.Serialize(errors, Json);

    /// <summary>Reads a job's stored errors back.</summary>
    public static IReadOnlyList<CsvRowError> ErrorsOf(ImportJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        return string.IsNullOrEmpty(job.Errors) ? [] : JsonSerializer.Deserialize<List<CsvRowError>>(job.Errors, Json) ?? [];
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Import job {JobId} failed.")]
    private partial void LogFailed(Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import job {JobId}: {Added} imported, {Duplicates} duplicate(s) of {Rows} row(s); validated in {ValidateMs} ms, saved in {SaveMs} ms.")]
    private partial void LogImported(Guid jobId, int added, int duplicates, int rows, long validateMs, long saveMs);
}
