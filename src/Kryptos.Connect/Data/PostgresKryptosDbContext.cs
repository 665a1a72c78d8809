using System.Reflection;
using Kryptos.Connect.Migrations.Postgres;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Kryptos.Connect.Data;

/// <summary>
/// The PostgreSQL flavour of <see cref="KryptosDbContext"/>: its migrations live in
/// Kryptos.Connect.Migrations.Postgres. <see cref="DateTimeOffset"/> maps to <c>timestamptz</c>,
/// which Npgsql writes only with a zero offset, so every value is converted to UTC on the way in;
/// the instant is kept, the original offset is not (as in any <c>timestamptz</c> column).
/// </summary>
public sealed class PostgresKryptosDbContext(DbContextOptions<PostgresKryptosDbContext> options)
    : KryptosDbContext(options)
{
    /// <summary>The assembly that holds this provider's migrations and model snapshot, and nothing else.</summary>
    public static Assembly MigrationsAssembly => PostgresMigrations.Assembly;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        base.ConfigureConventions(configurationBuilder);
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcDateTimeOffsetConverter>();
    }

    private sealed class UtcDateTimeOffsetConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
        value => value.ToUniversalTime(),
        value => value);
}
