using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Kryptos.Connect.Data;

/// <summary>
/// Finds a provider's migrations in its own assembly (Kryptos.Connect.Migrations.Sqlite or
/// .Postgres). EF Core's default matches each migration's <c>[DbContext(typeof(…))]</c> attribute
/// with the context type, which would make the migrations assembly reference the host while the host
/// references it: the migrations assemblies hold one provider's migrations each, so every migration
/// and the one snapshot in the assembly belong to the context (docs/decisions/0002).
/// </summary>
internal sealed class ProviderMigrationsAssembly(ICurrentDbContext currentContext, IMigrationsIdGenerator idGenerator) : IMigrationsAssembly
{
    private IReadOnlyDictionary<string, TypeInfo>? _migrations;
    private ModelSnapshot? _snapshot;
    private bool _snapshotRead;

    public Assembly Assembly { get; } = MigrationsAssemblyOf(currentContext.Context);

    public IReadOnlyDictionary<string, TypeInfo> Migrations => _migrations ??= new SortedList<string, TypeInfo>(
        Assembly.DefinedTypes
            .Where(t => t.IsSubclassOf(typeof(Migration)) && !t.IsAbstract && t.GetCustomAttribute<MigrationAttribute>() is not null)
            .ToDictionary(t => t.GetCustomAttribute<MigrationAttribute>()!.Id, t => t),
        StringComparer.Ordinal);

    public ModelSnapshot? ModelSnapshot
    {
        get
        {
            if (!_snapshotRead)
            {
                var type = Assembly.DefinedTypes.SingleOrDefault(t => t.IsSubclassOf(typeof(ModelSnapshot)) && !t.IsAbstract);
                _snapshot = type is null ? null : (ModelSnapshot)Activator.CreateInstance(type.AsType())!;
                _snapshotRead = true;
            }

            return _snapshot;
        }
    }

    public string? FindMigrationId(string nameOrId) =>
        Migrations.Keys.FirstOrDefault(id => idGenerator.IsValidId(nameOrId)
            ? string.Equals(id, nameOrId, StringComparison.OrdinalIgnoreCase)
            : string.Equals(idGenerator.GetName(id), nameOrId, StringComparison.OrdinalIgnoreCase));

    public Migration CreateMigration(TypeInfo migrationClass, string activeProvider)
    {
        ArgumentNullException.ThrowIfNull(migrationClass);
        var migration = (Migration)Activator.CreateInstance(migrationClass.AsType())!;
        migration.ActiveProvider = activeProvider;
        return migration;
    }

    private static Assembly MigrationsAssemblyOf(DbContext context) => context switch
    {
        SqliteKryptosDbContext => SqliteKryptosDbContext.MigrationsAssembly,
        PostgresKryptosDbContext => PostgresKryptosDbContext.MigrationsAssembly,
        _ => throw new InvalidOperationException($"{context.GetType().Name} has no migrations assembly."),
    };
}
