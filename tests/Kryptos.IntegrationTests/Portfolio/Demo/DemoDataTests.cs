using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Demo;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Portfolio.Demo;

/// <summary>The "Load demo data" page and what it writes.</summary>
public sealed class DemoDataTests(RecordingViewsFactory factory) : IClassFixture<RecordingViewsFactory>
{
    [Fact]
    public async Task LoadingDemoData_WritesTheDataSet_AndGoesToThePortfolio()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync();

        using var response = await client.SubmitAsync(DemoPage(workspaceId));

        client.AssertStatus(HttpStatusCode.Redirect, response);
        Assert.Equal($"/workspaces/{workspaceId}/portfolio", response.Headers.Location!.OriginalString);
        var (transactions, integrations) = await ReadAsync(workspaceId);
        Assert.Equal(DemoPortfolio.TransactionCount, transactions.Count);
        Assert.All(transactions, t => Assert.Equal(TransactionOrigin.Demo, t.Origin));
        Assert.Equal(DemoPortfolio.Accounts.Select(a => a.Name).Order(), integrations.Select(i => i.Name).Order());
        Assert.All(integrations, i => Assert.Equal(SyncStatus.Synced, i.SyncStatus));
        var ledger = integrations.Single(i => i.ProviderId == "ledger");
        Assert.Equal(("ethereum", "0xde30000000000000000000000000000000000001"), (ledger.Chain, ledger.Address));
        // The first buy: 250 USD of BTC at the demo close of 2024-01-01, 42,000 USD.
        var firstBuy = transactions.Single(t => t.ExternalId == "demo-0002");
        Assert.Equal(42_000m, firstBuy.Lines.Single(l => l.Direction == LineDirection.In).UnitPrice);
        Assert.All(transactions.SelectMany(t => t.Lines), l => Assert.Equal("USD", l.Currency));
        Assert.Contains(workspaceId, factory.Views.Invalidated);
        var audit = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.DemoDataLoaded));
        Assert.Equal($"Loaded the demo data: {DemoPortfolio.TransactionCount} transactions (0 earlier demo transaction(s) replaced, {DemoPortfolio.Accounts.Count} account(s) created)", audit.Summary);
    }

    [Fact]
    public async Task LoadingTwice_GivesTheSameData_AndKeepsTheUsersOwnTransactions()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync();
        using (var first = await client.SubmitAsync(DemoPage(workspaceId)))
        {
            client.AssertStatus(HttpStatusCode.Redirect, first);
        }

        var (before, integrationsBefore) = await ReadAsync(workspaceId);
        // The user adds their own transaction to a demo account, and their own account.
        var coinbase = integrationsBefore.Single(i => i.ProviderId == "coinbase");
        var manualId = await AddManualAsync(workspaceId, coinbase.Id);

        var page = await client.GetPageAsync(DemoPage(workspaceId));
        Assert.Contains($"already holds {DemoPortfolio.TransactionCount} demo transactions", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        using var again = await client.SubmitAsync(DemoPage(workspaceId));
        client.AssertStatus(HttpStatusCode.Redirect, again);

        var (after, integrationsAfter) = await ReadAsync(workspaceId);
        Assert.Equal(DemoPortfolio.TransactionCount + 1, after.Count);
        Assert.Contains(after, t => t.Id == manualId && t.Origin == TransactionOrigin.Manual);
        Assert.Equal(integrationsBefore.Select(i => i.Id).Order(), integrationsAfter.Select(i => i.Id).Order());
        Assert.Equal(Describe(before), Describe(after.Where(t => t.Origin == TransactionOrigin.Demo)));
    }

    [Fact]
    public async Task DemoPrices_FollowTheBaseCurrency()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync();
        using (var settings = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string> { ["Input.BaseCurrency"] = "EUR" }))
        {
            client.AssertStatus(HttpStatusCode.Redirect, settings);
        }

        using var response = await client.SubmitAsync(DemoPage(workspaceId));

        client.AssertStatus(HttpStatusCode.Redirect, response);
        var (transactions, _) = await ReadAsync(workspaceId);
        var firstBuy = transactions.Single(t => t.ExternalId == "demo-0002");
        Assert.Equal(38_640m, firstBuy.Lines.Single(l => l.Direction == LineDirection.In).UnitPrice); // 42,000 × 0.92
        Assert.All(firstBuy.Lines, l => Assert.Equal("EUR", l.Currency));
    }

    [Fact]
    public async Task AViewer_SeesThePage_ButCannotLoad()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);

        var page = await viewer.GetPageAsync(DemoPage(workspaceId));
        using var response = await viewer.PostDirectAsync(DemoPage(workspaceId));

        Assert.Null(page.QuerySelector("main form[method='post']"));
        viewer.AssertStatus(HttpStatusCode.Forbidden, response);
        Assert.Empty((await ReadAsync(workspaceId)).Transactions);
    }

    [Fact]
    public async Task AnEditor_CanLoad()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var (_, editor) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Editor);

        using var response = await editor.SubmitAsync(DemoPage(workspaceId));

        editor.AssertStatus(HttpStatusCode.Redirect, response);
        Assert.Equal(DemoPortfolio.TransactionCount, (await ReadAsync(workspaceId)).Transactions.Count);
    }

    [Fact]
    public async Task AnotherWorkspace_IsNotFound()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var (_, stranger) = await factory.SignedInUserAsync();

        using var get = await stranger.Http.GetAsync(new Uri(DemoPage(workspaceId), UriKind.Relative));
        using var post = await stranger.PostDirectAsync(DemoPage(workspaceId));
        using var unknown = await stranger.PostDirectAsync(DemoPage(Guid.NewGuid()));

        stranger.AssertStatus(HttpStatusCode.NotFound, get);
        stranger.AssertStatus(HttpStatusCode.NotFound, post);
        stranger.AssertStatus(HttpStatusCode.NotFound, unknown);
        Assert.Empty((await ReadAsync(workspaceId)).Transactions);
    }

    [Fact]
    public async Task WithoutAntiforgery_NothingIsLoaded()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync();

        using var content = new FormUrlEncodedContent([]);
        using var response = await client.Http.PostAsync(new Uri(DemoPage(workspaceId), UriKind.Relative), content);

        client.AssertStatus(HttpStatusCode.BadRequest, response);
        Assert.Empty((await ReadAsync(workspaceId)).Transactions);
    }

    private static string DemoPage(Guid workspaceId) => $"/workspaces/{workspaceId}/portfolio/demo";

    private Task<(List<PortfolioTransaction> Transactions, List<Integration> Integrations)> ReadAsync(Guid workspaceId) =>
        factory.WithDbAsync(async db => (
            await db.Transactions.AsNoTracking().Include(t => t.Lines).Where(t => t.WorkspaceId == workspaceId).OrderBy(t => t.ExternalId).ToListAsync(),
            await db.Integrations.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).ToListAsync()));

    private Task<Guid> AddManualAsync(Guid workspaceId, Guid integrationId) =>
        factory.WithDbAsync(async db =>
        {
            var transaction = new PortfolioTransaction
            {
                WorkspaceId = workspaceId,
                IntegrationId = integrationId,
                Type = TransactionType.Deposit,
                Label = TransactionLabel.Deposit,
                OccurredAt = new DateTimeOffset(2025, 5, 5, 0, 0, 0, TimeSpan.Zero),
                Origin = TransactionOrigin.Manual,
            };
            transaction.Lines.Add(new TransactionLine { TransactionId = transaction.Id, Direction = LineDirection.In, Asset = "USD", Quantity = 10m, UnitPrice = 1m, Currency = "USD" });
            db.Transactions.Add(transaction);
            await db.SaveChangesAsync();
            return transaction.Id;
        });

    private static List<string> Describe(IEnumerable<PortfolioTransaction> transactions) =>
        [.. transactions.OrderBy(t => t.ExternalId).Select(t => $"{t.ExternalId} {t.IntegrationId} {t.CounterpartIntegrationId} {t.Type} {t.Label} {t.OccurredAt:O} "
            + string.Join(";", t.Lines.OrderBy(l => l.Direction).ThenBy(l => l.Asset).Select(l => $"{l.Direction} {l.Asset} {l.Quantity} {l.UnitPrice} {l.Currency}")))];
}
