using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Hosting.Pruning;

/// <summary>
/// Runs a <see cref="PruningPass"/> when the host has started, then every <see cref="PruningOptions.Interval"/>.
/// Every instance runs its own passes: the deletes are idempotent, so two instances pruning at once
/// only repeat each other's work.
/// </summary>
internal sealed class PruningService(PruningPass pass, IOptions<PruningOptions> options, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(options.Value.Interval, time);
        do
        {
            await pass.RunAsync(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
