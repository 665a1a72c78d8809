using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kryptos.Connect.Data;

/// <summary>
/// The SQLite flavour of <see cref="KryptosDbContext"/>: it owns the SQLite migrations
/// (Data/Migrations/Sqlite) and stores <see cref="DateTimeOffset"/> values as sortable
/// integers, because SQLite cannot order or compare the default text representation.
/// </summary>
public sealed class SqliteKryptosDbContext(DbContextOptions<SqliteKryptosDbContext> options)
    : KryptosDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<DateTimeOffsetToBinaryConverter>();
    }
}
