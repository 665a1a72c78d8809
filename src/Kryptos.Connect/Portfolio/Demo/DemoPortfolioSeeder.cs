using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Transactions;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Demo;

/// <summary>
/// Loads the demo data set into every workspace of the Development demo account that has none yet, so
/// a fresh local run shows a portfolio and the Connect API answers with data. Runs after the account's
/// own seeder (seeders run in registration order, and accounts register before the portfolio); only
/// when <c>Database:SeedDemoData</c> is on.
/// </summary>
internal sealed partial class DemoPortfolioSeeder(KryptosDbContext db, DemoDataLoader loader, ILogger<DemoPortfolioSeeder> logger) : IDataSeeder
{
    /// <summary>The demo account's email (seeded by the accounts area; a test checks the two agree).</summary>
    internal const string DemoAccountEmail = "demo@kryptos.localhost";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var normalized = DemoAccountEmail.ToUpperInvariant();
        var workspaces = await db.WorkspaceMembers
            .Where(m => m.User.NormalizedEmail == normalized)
            .Where(m => !db.Transactions.Any(t => t.WorkspaceId == m.WorkspaceId && t.Origin == TransactionOrigin.Demo))
            .Select(m => m.WorkspaceId)
            .ToListAsync(cancellationToken);
        foreach (var workspaceId in workspaces)
        {
            var result = await loader.LoadDemoAsync(workspaceId, cancellationToken);
            LogSeeded(logger, result?.Transactions ?? 0, workspaceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded {Count} demo transactions into workspace {WorkspaceId}")]
    private static partial void LogSeeded(ILogger logger, int count, Guid workspaceId);
}
