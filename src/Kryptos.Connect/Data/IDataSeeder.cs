namespace Kryptos.Connect.Data;

/// <summary>
/// Demo or reference data a feature seeds after the migrations, when <c>Database:SeedDemoData</c> is
/// on. Seeders must be idempotent: they run at every start.
/// </summary>
public interface IDataSeeder
{
    Task SeedAsync(CancellationToken cancellationToken);
}
