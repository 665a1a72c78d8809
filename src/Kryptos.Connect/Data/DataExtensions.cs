using Kryptos.Connect.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Data;

public static class DataExtensions
{
    private const string NpgsqlProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    /// <summary>Registers <see cref="KryptosDbContext"/> for the configured provider (SQLite or PostgreSQL).</summary>
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var connectionString = builder.Configuration.GetConnectionString("Kryptos");
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotationsRecursively(DatabaseOptions.SectionName)
            .Validate(o => o.Provider != DatabaseProvider.Postgres || !string.IsNullOrWhiteSpace(connectionString),
                "ConnectionStrings:Kryptos is required when Database:Provider is 'Postgres' (for example 'Host=db;Database=kryptos;Username=kryptos;Password=…').")
            .ValidateOnStart();

        var provider = builder.Configuration.GetValue(DatabaseOptions.SectionName + ":" + nameof(DatabaseOptions.Provider), DatabaseProvider.Sqlite);
        if (provider == DatabaseProvider.Postgres)
        {
            builder.Services.AddDbContext<KryptosDbContext, PostgresKryptosDbContext>((services, options) =>
                UseProvider(options, provider, connectionString ?? string.Empty, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.CommandTimeoutSeconds));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                connectionString = DatabaseOptions.DefaultSqliteConnectionString;
            }

            EnsureSqliteDirectory(connectionString);
            builder.Services.AddSingleton<SqliteDurabilityInterceptor>();
            builder.Services.AddDbContext<KryptosDbContext, SqliteKryptosDbContext>((services, options) =>
                UseProvider(options, provider, connectionString, services.GetRequiredService<IOptions<DatabaseOptions>>().Value.CommandTimeoutSeconds)
                    .AddInterceptors(services.GetRequiredService<SqliteDurabilityInterceptor>()));
        }

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<KryptosDbContext>("database", tags: ["ready"]);
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
    }

    /// <summary>
    /// The upgrade step of a deployment (<c>Kryptos.Connect migrate</c>, docs/deployment.md): applies
    /// the pending migrations and exits, so that instances can start with
    /// <c>Database:MigrateOnStart=false</c>. EF Core takes a database lock while migrating, so
    /// instances that migrate on start at the same moment wait for each other instead of colliding.
    /// </summary>
    public static async Task<int> MigrateDatabaseAsync(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        List<string> pending;
        try
        {
            await db.ProbeConnectionAsync();
            pending = await db.ApplyMigrationsAsync();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or TimeoutException)
        {
            // Unreachable server, wrong password, missing file permissions: one line, no stack trace.
            await Console.Error.WriteLineAsync($"The migrations were not applied: the {db.Database.ProviderName} database cannot be used ({e.GetBaseException().Message}).");
            return 1;
        }

        await Console.Out.WriteLineAsync(pending.Count == 0
            ? $"The {db.Database.ProviderName} database is up to date."
            : $"Applied {pending.Count} migration(s) to the {db.Database.ProviderName} database: {string.Join(", ", pending)}.");
        return 0;
    }

    /// <summary>
    /// Applies the pending migrations (<see cref="PendingMigrationsAsync"/>) and returns their ids.
    /// EF Core's migration lock and, on PostgreSQL, an advisory lock keep instances starting together
    /// from applying one migration twice.
    /// </summary>
    internal static async Task<List<string>> ApplyMigrationsAsync(this KryptosDbContext db, CancellationToken cancellationToken = default)
    {
        // On PostgreSQL, instances starting together take turns: a session advisory lock on the
        // connection the migrations use (EF Core's own lock did not stop two instances from applying
        // the same migration in the two-instance test).
        var postgres = db.Database.ProviderName == NpgsqlProviderName;
        if (postgres)
        {
            await db.Database.OpenConnectionAsync(cancellationToken);
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(727170)", cancellationToken);
        }

        try
        {
            var pending = await db.PendingMigrationsAsync(cancellationToken);
            if (pending.Count > 0)
            {
                // The history table first: EF Core's MigrateAsync otherwise asks Npgsql whether it
                // exists by reading it, and EF Core logs PostgreSQL's "does not exist" at Error level
                // on every first start (CREATE TABLE IF NOT EXISTS is safe for instances starting together).
                await db.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);
                await db.Database.MigrateAsync(cancellationToken);
            }

            return pending;
        }
        finally
        {
            if (postgres)
            {
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(727170)", CancellationToken.None);
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    /// <summary>
    /// Opens and closes the database connection outside EF Core, so that an unreachable server, a wrong
    /// password or an unreadable file ends in the caller's one line, not also in EF Core's Error log of
    /// the failed connection. Throws what the provider throws (a <see cref="System.Data.Common.DbException"/>).
    /// </summary>
    internal static async Task ProbeConnectionAsync(this KryptosDbContext db, CancellationToken cancellationToken = default)
    {
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(cancellationToken);
        await connection.CloseAsync();
    }

    /// <summary>
    /// The ids of the migrations the database lacks, for the upgrade step and for the start check
    /// (<see cref="DatabaseSchemaCheck"/>). On a database without the migrations history table every
    /// migration is pending: asking EF Core there would read the missing table, which PostgreSQL
    /// answers with an error EF Core logs at Error level before our own clear message. (Npgsql's
    /// <c>IHistoryRepository.ExistsAsync</c> reads the table too, so the catalog is asked here.)
    /// </summary>
    internal static async Task<List<string>> PendingMigrationsAsync(this KryptosDbContext db, CancellationToken cancellationToken = default)
    {
        var sql = db.Database.ProviderName == NpgsqlProviderName
            ? "SELECT to_regclass('\"__EFMigrationsHistory\"') IS NOT NULL AS \"Value\""
            : "SELECT COUNT(*) > 0 AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'";
        var historyExists = await db.Database.SqlQueryRaw<bool>(sql).SingleAsync(cancellationToken);
        return historyExists
            ? [.. await db.Database.GetPendingMigrationsAsync(cancellationToken)]
            : [.. db.Database.GetMigrations()];
    }

    /// <summary>
    /// The provider, its connection and its migrations assembly: one place for the host and for
    /// <c>dotnet ef</c> (the design-time factories).
    /// </summary>
    internal static DbContextOptionsBuilder UseProvider(DbContextOptionsBuilder options, DatabaseProvider provider, string connectionString, int commandTimeoutSeconds)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            options.UseNpgsql(connectionString, npgsql => npgsql
                .CommandTimeout(commandTimeoutSeconds)
                .MigrationsAssembly(PostgresKryptosDbContext.MigrationsAssembly));
        }
        else
        {
            options.UseSqlite(connectionString, sqlite => sqlite
                .CommandTimeout(commandTimeoutSeconds)
                .MigrationsAssembly(SqliteKryptosDbContext.MigrationsAssembly));
        }

        return options.ReplaceService<IMigrationsAssembly, ProviderMigrationsAssembly>();
    }

    /// <summary>Creates the folder of a SQLite file so that a fresh clone starts without setup.</summary>
    internal static void EnsureSqliteDirectory(string connectionString)
    {
        var dataSource = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (string.IsNullOrEmpty(dataSource) || dataSource == ":memory:")
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }
}
