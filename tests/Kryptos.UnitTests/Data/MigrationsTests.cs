using Kryptos.Connect.Data;
using Kryptos.Connect.Migrations.Postgres;
using Kryptos.Connect.Migrations.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Kryptos.UnitTests.Data;

/// <summary>
/// Each provider's migrations live in their own assembly and hold the whole model: a change to an
/// entity without <c>scripts/add-migration</c> fails here, so CI fails on pending model changes.
/// No database is needed: the model is compared with the provider's snapshot.
/// </summary>
public sealed class MigrationsTests
{
    public static TheoryData<string> Providers => ["Sqlite", "Postgres"];

    [Theory]
    [MemberData(nameof(Providers))]
    public void TheModel_HasNoChangesThatAMigrationDoesNotHold(string provider)
    {
        using var db = Context(provider);

        Assert.False(db.Database.HasPendingModelChanges(),
            $"The {provider} model has changes no migration holds: run scripts/add-migration <Name>.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void TheMigrations_AreFoundInTheProvidersOwnAssembly(string provider)
    {
        using var db = Context(provider);
        var migrations = db.GetService<IMigrationsAssembly>();

        var expected = provider == "Sqlite" ? SqliteMigrations.Assembly : PostgresMigrations.Assembly;
        Assert.Same(expected, migrations.Assembly);
        Assert.NotNull(migrations.ModelSnapshot);
        Assert.NotEmpty(migrations.Migrations);
        Assert.EndsWith("_Initial", migrations.Migrations.Keys.First(), StringComparison.Ordinal);
        Assert.Equal(migrations.Migrations.Keys.First(), migrations.FindMigrationId("Initial"));
        Assert.All(migrations.Migrations.Values, type => Assert.Same(expected, type.Assembly));
        // The migrations assembly stands alone: the host references it, not the other way round.
        Assert.DoesNotContain(expected.GetReferencedAssemblies(), name => name.Name == "Kryptos.Connect");
    }

    [Fact]
    public void TheTwoProviders_KeepTheirMigrationsApart()
    {
        using var sqlite = Context("Sqlite");
        using var postgres = Context("Postgres");

        var sqliteIds = sqlite.GetService<IMigrationsAssembly>().Migrations.Keys;
        var postgresIds = postgres.GetService<IMigrationsAssembly>().Migrations.Keys;
        Assert.Empty(sqliteIds.Intersect(postgresIds));
        Assert.Equal("Microsoft.EntityFrameworkCore.Sqlite", sqlite.Database.ProviderName);
        Assert.Equal("Npgsql.EntityFrameworkCore.PostgreSQL", postgres.Database.ProviderName);
    }

    private static KryptosDbContext Context(string provider) => provider == "Sqlite"
        ? new SqliteDesignTimeDbContextFactory().CreateDbContext([])
        : new PostgresDesignTimeDbContextFactory().CreateDbContext([]);
}
