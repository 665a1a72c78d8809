using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kryptos.Connect.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the host (scripts/add-migration).</summary>
internal sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteKryptosDbContext>
{
    public SqliteKryptosDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<SqliteKryptosDbContext>();
        DataExtensions.UseProvider(options, DatabaseProvider.Sqlite, DatabaseOptions.DefaultSqliteConnectionString, commandTimeoutSeconds: 30);
        return new(options.Options);
    }
}

/// <summary>
/// Lets <c>dotnet ef</c> build the PostgreSQL context without a server: adding a migration only
/// compares the model with the snapshot and never connects.
/// </summary>
internal sealed class PostgresDesignTimeDbContextFactory : IDesignTimeDbContextFactory<PostgresKryptosDbContext>
{
    public PostgresKryptosDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<PostgresKryptosDbContext>();
        DataExtensions.UseProvider(options, DatabaseProvider.Postgres, "Host=localhost;Database=kryptos", commandTimeoutSeconds: 30);
        return new(options.Options);
    }
}
