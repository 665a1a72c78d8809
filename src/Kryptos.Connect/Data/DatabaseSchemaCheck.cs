using System.Data.Common;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Data;

/// <summary>
/// A start check for instances that leave migrations to the upgrade step
/// (<c>Database:MigrateOnStart=false</c>, docs/deployment.md). On a database the step has not
/// upgraded, the first background service to query a new table would end the process with an
/// unhandled exception and a stack trace; this check stops the start before that, with one line
/// saying what to run, and the caller exits with code 1.
/// </summary>
public static class DatabaseSchemaCheck
{
    /// <summary>
    /// True when migrations are applied on start, or when the database has no pending migration;
    /// otherwise writes one line on standard error and returns false.
    /// </summary>
    public static async Task<bool> HasCurrentSchemaAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (app.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value.MigrateOnStart)
        {
            return true;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        List<string> pending;
        try
        {
            await db.ProbeConnectionAsync();
            pending = await db.PendingMigrationsAsync();
        }
        catch (DbException exception)
        {
            await Console.Error.WriteLineAsync($"Kryptos Connect cannot start: the database cannot be read ({exception.Message}).");
            return false;
        }

        if (pending.Count == 0)
        {
            return true;
        }

        await Console.Error.WriteLineAsync(
            $"Kryptos Connect cannot start: the database lacks {pending.Count} migration(s) (the last one is {pending[^1]}) and Database:MigrateOnStart is false. " +
            "Run the upgrade step first: dotnet Kryptos.Connect.dll migrate (docs/deployment.md).");
        return false;
    }
}
