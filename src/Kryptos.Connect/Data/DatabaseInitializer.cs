using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Data;

/// <summary>
/// Applies migrations (never <c>EnsureCreated</c>) and, when asked, seeds the demo data, before the
/// host starts listening. Hosted services start in registration order, so nothing else touches the
/// database first.
/// </summary>
internal sealed partial class DatabaseInitializer(
    IServiceProvider services,
    IOptions<DatabaseOptions> options,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        if (options.Value.MigrateOnStart)
        {
            var applied = await db.ApplyMigrationsAsync(cancellationToken);
            if (applied.Count > 0)
            {
                LogMigrated(logger, applied.Count);
            }
        }

        if (options.Value.SeedDemoData)
        {
            foreach (var seeder in scope.ServiceProvider.GetServices<IDataSeeder>())
            {
                await seeder.SeedAsync(cancellationToken);
            }
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} database migration(s)")]
    private static partial void LogMigrated(ILogger logger, int count);
}
