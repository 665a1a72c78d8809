using Kryptos.Connect.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Data;

public static class DataExtensions
{
    /// <summary>Registers <see cref="KryptosDbContext"/> for the configured provider.</summary>
    public static WebApplicationBuilder AddData(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.SectionName)
            .ValidateDataAnnotationsRecursively(DatabaseOptions.SectionName)
            .Validate(o => o.Provider == DatabaseProvider.Sqlite,
                "Database:Provider 'Postgres' is not available yet; use 'Sqlite'.")
            .ValidateOnStart();

        var connectionString = builder.Configuration.GetConnectionString("Kryptos");
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            connectionString = DatabaseOptions.DefaultSqliteConnectionString;
        }

        EnsureSqliteDirectory(connectionString);

        builder.Services.AddSingleton<SqliteDurabilityInterceptor>();
        builder.Services.AddDbContext<KryptosDbContext, SqliteKryptosDbContext>((services, options) =>
        {
            var database = services.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            options.UseSqlite(connectionString, sqlite => sqlite.CommandTimeout(database.CommandTimeoutSeconds))
                .AddInterceptors(services.GetRequiredService<SqliteDurabilityInterceptor>());
        });

        builder.Services.AddHealthChecks()
            .AddDbContextCheck<KryptosDbContext>("database", tags: ["ready"]);
        builder.Services.AddHostedService<DatabaseInitializer>();
        return builder;
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
