using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Settings of the <c>Database</c> section (see docs/configuration.md).</summary>
public sealed class DatabaseOptions
{
    public const string SectionName = "Database";

    /// <summary>The default connection string: a SQLite file under ./data of the working directory.</summary>
    public const string DefaultSqliteConnectionString = "Data Source=data/kryptos.db";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>Apply pending migrations when the host starts.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>Seed a demo account and workspace (Development only by default).</summary>
    public bool SeedDemoData { get; set; }

    [Range(1, 600)]
    public int CommandTimeoutSeconds { get; set; } = 30;
}
