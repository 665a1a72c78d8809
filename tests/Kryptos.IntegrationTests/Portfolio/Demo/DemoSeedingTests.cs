using Kryptos.Connect.Portfolio.Demo;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Portfolio.Demo;

/// <summary>With demo seeding on (the Development default), the demo account's workspaces hold the demo data set.</summary>
public sealed class DemoSeedingTests
{
    [Fact]
    public async Task TheDemoAccountsWorkspaces_AreSeededOnce_AcrossRestarts()
    {
        var root = Directory.CreateTempSubdirectory("kryptos-tests-").FullName;
        await using (var first = new SeedingFactory(root) { DeleteRootOnDispose = false })
        {
            Assert.Equal([DemoPortfolio.TransactionCount, DemoPortfolio.TransactionCount], await DemoCountsAsync(first));
        }

        await using var second = new SeedingFactory(root);
        Assert.Equal([DemoPortfolio.TransactionCount, DemoPortfolio.TransactionCount], await DemoCountsAsync(second));
        Assert.Equal(8, await second.WithDbAsync(db => db.Integrations.CountAsync())); // 4 demo accounts per workspace
    }

    private static Task<List<int>> DemoCountsAsync(KryptosFactory factory)
    {
        _ = factory.Services; // starts the host, which seeds
        return factory.WithDbAsync(db => db.WorkspaceMembers
            .Where(m => m.User.Email == "demo@kryptos.localhost")
            .Select(m => db.Transactions.Count(t => t.WorkspaceId == m.WorkspaceId && t.Origin == TransactionOrigin.Demo))
            .ToListAsync());
    }

    private sealed class SeedingFactory : KryptosFactory
    {
        public SeedingFactory(string root)
            : base(root)
        {
            Settings["Database:SeedDemoData"] = "true";
        }
    }
}
