using System.Reflection;
using Kryptos.Connect.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kryptos.Connect.Data;

/// <summary>
/// The SQLite flavour of <see cref="KryptosDbContext"/>: its migrations live in
/// Kryptos.Connect.Migrations.Sqlite, and it stores <see cref="DateTimeOffset"/> values as sortable
/// integers, because SQLite cannot order or compare the default text representation.
/// </summary>
public sealed class SqliteKryptosDbContext(DbContextOptions<SqliteKryptosDbContext> options)
    : KryptosDbContext(options)
{
    /// <summary>The assembly that holds this provider's migrations and model snapshot, and nothing else.</summary>
    public static Assembly MigrationsAssembly => SqliteMigrations.Assembly;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
