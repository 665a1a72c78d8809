namespace Kryptos.Connect.Hosting.Pruning;

/// <summary>
/// One pass over every registered <see cref="IPruner"/>: each in its own scope (a failed database
/// context cannot spoil the next), each logging one line with what it removed. A failing pruner is
/// logged and the others still run; the next pass tries it again.
/// </summary>
public sealed partial class PruningPass(IServiceScopeFactory scopes, TimeProvider time, ILogger<PruningPass> logger)
{
    public async Task RunAsync(CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        int count;
        await using (var scope = scopes.CreateAsyncScope())
        {
            count = scope.ServiceProvider.GetServices<IPruner>().Count();
        }

        for (var index = 0; index < count; index++)
        {
            await using var scope = scopes.CreateAsyncScope();
            var pruner = scope.ServiceProvider.GetServices<IPruner>().ElementAt(index);
            try
            {
                var removed = await pruner.PruneAsync(now, cancellationToken);
                LogPruned(logger, removed, pruner.Name);
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                LogFailed(logger, exception, pruner.Name);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Pruned {Count} {Pruner}")]
    private static partial void LogPruned(ILogger logger, int count, string pruner);

    [LoggerMessage(Level = LogLevel.Error, Message = "Pruning {Pruner} failed; the next pass tries again")]
    private static partial void LogFailed(ILogger logger, Exception exception, string pruner);
}
