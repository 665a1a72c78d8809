using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Kryptos.Connect.Data;

/// <summary>Lets <c>dotnet ef</c> build the SQLite context without starting the host (scripts/add-migration).</summary>
internal sealed class SqliteDesignTimeDbContextFactory : IDesignTimeDbContextFactory<SqliteKryptosDbContext>
{
    public SqliteKryptosDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteKryptosDbContext>()
            .UseSqlite(DatabaseOptions.DefaultSqliteConnectionString)
            .Options);
}
