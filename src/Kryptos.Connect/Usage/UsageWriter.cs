using Kryptos.Connect.Data;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Usage;

/// <summary>
/// Drains the <see cref="UsageRecorder"/>'s buffer into <c>UsageRecords</c>: a batch when
/// <see cref="MeteringOptions.BatchSize"/> records are waiting or <see cref="MeteringOptions.FlushInterval"/>
/// after the first one, each batch one transaction of multi-row inserts. On a graceful shutdown it
/// writes what is left (the server has finished its requests by then: hosted services stop after it).
/// </summary>
internal sealed partial class UsageWriter(
    UsageRecorder recorder,
    IServiceScopeFactory scopes,
    IOptions<UsageOptions> options,
    ILogger<UsageWriter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = recorder.Reader;
        var metering = options.Value.Metering;
        var batch = new List<UsageRecord>(metering.BatchSize);
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                // Give the batch time to fill, unless it is already full.
                if (reader.CanCount && reader.Count < metering.BatchSize)
                {
                    // Real time, not the TimeProvider: buffering is not a business rule, and a test's frozen clock must not stop it.
                    await Task.Delay(metering.FlushInterval, stoppingToken);
                }

                await DrainAsync(batch, metering.BatchSize, CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: what is buffered is written below.
        }

        await DrainAsync(batch, metering.BatchSize, CancellationToken.None);
    }

    /// <summary>Writes everything buffered now, in batches.</summary>
    private async Task DrainAsync(List<UsageRecord> batch, int batchSize, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            while (batch.Count < batchSize && recorder.Reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            if (batch.Count == 0)
            {
                return;
            }

            await WriteAsync(batch, cancellationToken);
        }
    }

    private async Task WriteAsync(List<UsageRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            await db.BulkInsertAsync(batch, cancellationToken: cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            LogWriteFailed(logger, exception, batch.Count);
            recorder.CountDropped(batch.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing {Count} usage records failed; they are dropped")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
