using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Portfolio.Importing;

/// <summary>An import job as the pages show it.</summary>
public sealed record ImportJobView(
    Guid Id,
    Guid IntegrationId,
    string IntegrationName,
    string FileName,
    JobStatus Status,
    int TotalRows,
    int ProcessedRows,
    int ImportedCount,
    int DuplicateCount,
    IReadOnlyList<CsvRowError> Errors,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt)
{
    public bool IsFinished => Status is JobStatus.Succeeded or JobStatus.Failed;
}

/// <summary>The outcome of an upload: the job, or why no job was created (a problem of the file as a whole).</summary>
public sealed record ImportStart(WorkspaceResult Result, Guid? JobId = null, string? Field = null);

/// <summary>
/// Starts CSV imports and reads their jobs. An upload is checked as a whole at once (size, encoding,
/// row count); its rows are validated by the job. A small file is imported during the request, a
/// larger one is handed to the background worker, so no request waits for a large import.
/// </summary>
public sealed class ImportService(KryptosDbContext db, ImportBacklog backlog, ImportProcessor processor, IOptions<ImportOptions> options, TimeProvider time)
{
    public async Task<ImportStart> StartAsync(WorkspaceMembership membership, Guid integrationId, string fileName, Stream content, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(membership);
        ArgumentNullException.ThrowIfNull(content);
        if (!membership.Can(WorkspaceOperation.EditPortfolio))
        {
            return new(WorkspaceResult.Denied("Only owners, admins and editors can import transactions."));
        }

        var limits = options.Value;
        if (!await db.Integrations.AnyAsync(i => i.WorkspaceId == membership.Workspace.Id && i.Id == integrationId, cancellationToken))
        {
            return new(WorkspaceResult.Fail("Choose an account of this workspace."), Field: "integration");
        }

        if (length > limits.MaxFileBytes)
        {
            return new(WorkspaceResult.Fail($"The file is larger than {limits.MaxFileBytes / 1000:N0} kB. Split it into smaller files."), Field: "file");
        }

        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, cancellationToken);
        if (TransactionCsv.Decode(bytes, out var text) is { } fileError)
        {
            return new(WorkspaceResult.Fail(fileError), Field: "file");
        }

        var rows = TransactionCsv.CountRows(text);
        if (rows > limits.MaxRows)
        {
            return new(WorkspaceResult.Fail($"The file has {rows:N0} rows; at most {limits.MaxRows:N0} can be imported at once. Split it into smaller files."), Field: "file");
        }

        var name = Path.GetFileName(fileName ?? "");
        name = string.IsNullOrWhiteSpace(name) || name.Any(char.IsControl) ? "upload.csv" : name[..Math.Min(name.Length, ImportJob.FileNameMaxLength)];
        var job = new ImportJob
        {
            WorkspaceId = membership.Workspace.Id,
            IntegrationId = integrationId,
            CreatedByUserId = membership.UserId,
            FileName = name,
            Content = bytes,
            TotalRows = rows,
            CreatedAt = time.GetUtcNow(),
        };
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(cancellationToken);
        db.Entry(job).State = EntityState.Detached;
        if (rows <= limits.InlineRows)
        {
            await processor.RunAsync(job.Id, cancellationToken);
        }
        else
        {
            backlog.Enqueue(job.Id);
        }

        return new(WorkspaceResult.Ok, job.Id);
    }

    public async Task<ImportJobView?> FindAsync(Guid workspaceId, Guid jobId, CancellationToken cancellationToken = default) =>
        (await QueryAsync(workspaceId, jobId, 1, cancellationToken)).FirstOrDefault();

    /// <summary>The workspace's latest jobs, newest first.</summary>
    public Task<List<ImportJobView>> ListAsync(Guid workspaceId, int count, CancellationToken cancellationToken = default) =>
        QueryAsync(workspaceId, null, count, cancellationToken);

    private async Task<List<ImportJobView>> QueryAsync(Guid workspaceId, Guid? jobId, int count, CancellationToken cancellationToken)
    {
        var jobs = await db.ImportJobs.AsNoTracking()
            .Where(j => j.WorkspaceId == workspaceId && (jobId == null || j.Id == jobId))
            .OrderByDescending(j => j.CreatedAt).Take(count)
            .Select(j => new { Job = new ImportJob
            {
                Id = j.Id,
                WorkspaceId = j.WorkspaceId,
                IntegrationId = j.IntegrationId,
                FileName = j.FileName,
                Status = j.Status,
                TotalRows = j.TotalRows,
                ProcessedRows = j.ProcessedRows,
                ImportedCount = j.ImportedCount,
                DuplicateCount = j.DuplicateCount,
                Errors = jobId == null ? null : j.Errors,
                CreatedAt = j.CreatedAt,
                CompletedAt = j.CompletedAt,
            }, IntegrationName = j.Integration.Name })
            .ToListAsync(cancellationToken);
        return [.. jobs.Select(j => new ImportJobView(j.Job.Id, j.Job.IntegrationId, j.IntegrationName, j.Job.FileName, j.Job.Status, j.Job.TotalRows,
            j.Job.ProcessedRows, j.Job.ImportedCount, j.Job.DuplicateCount, ImportProcessor.ErrorsOf(j.Job), j.Job.CreatedAt, j.Job.CompletedAt))];
    }
}
