using System.Net;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Portfolio.Pages;

/// <summary>Portfolio steps said in the product's words, through the real pages and forms.</summary>
internal static class PortfolioIntents
{
    public const string EvmAddress = "0x52908400098527886E0F7030069857D2E4169EE7";

    /// <summary>Submits the "Add a wallet" form; returns the response whatever it is.</summary>
    public static Task<HttpResponseMessage> SubmitWalletAsync(this PortalClient client, Guid workspaceId, string chain, string address, string name = "", string provider = "") =>
        client.SubmitAsync($"/workspaces/{workspaceId}/portfolio/integrations", new Dictionary<string, string>
        {
            ["Wallet.Chain"] = chain,
            ["Wallet.Address"] = address,
            ["Wallet.Name"] = name,
            ["Wallet.ProviderId"] = provider,
        }, "form[action*='handler=Wallet']");

    public static Task<HttpResponseMessage> SubmitExchangeAsync(this PortalClient client, Guid workspaceId, string provider, string name = "") =>
        client.SubmitAsync($"/workspaces/{workspaceId}/portfolio/integrations", new Dictionary<string, string>
        {
            ["Exchange.ProviderId"] = provider,
            ["Exchange.Name"] = name,
        }, "form[action*='handler=Exchange']");

    /// <summary>Adds an exchange account named <paramref name="name"/> and returns its id.</summary>
    public static async Task<Guid> AddExchangeAsync(this KryptosFactory factory, PortalClient client, Guid workspaceId, string name, string provider = "kraken")
    {
        ArgumentNullException.ThrowIfNull(factory);
        using var response = await client.SubmitExchangeAsync(workspaceId, provider, name);
        client.AssertStatus(HttpStatusCode.Redirect, response);
        return await factory.WithDbAsync(db => db.Integrations.Where(i => i.WorkspaceId == workspaceId && i.Name == name).Select(i => i.Id).SingleAsync());
    }

    public static Task<List<Integration>> IntegrationsAsync(this KryptosFactory factory, Guid workspaceId) =>
        factory.WithDbAsync(db => db.Integrations.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).ToListAsync());

    public static Task<List<PortfolioTransaction>> TransactionsAsync(this KryptosFactory factory, Guid workspaceId) =>
        factory.WithDbAsync(db => db.Transactions.AsNoTracking().Include(t => t.Lines).Where(t => t.WorkspaceId == workspaceId).ToListAsync());

    /// <summary>Inserts a transaction straight into the database (arranging data for a test about something else).</summary>
    public static Task<Guid> InsertBuyAsync(this KryptosFactory factory, Guid workspaceId, Guid integrationId, string asset, decimal quantity, decimal price, DateTimeOffset? at = null) =>
        factory.WithDbAsync(async db =>
        {
            var transaction = new PortfolioTransaction
            {
                WorkspaceId = workspaceId,
                IntegrationId = integrationId,
                Type = TransactionType.Trade,
                Label = TransactionLabel.Buy,
                OccurredAt = at ?? new DateTimeOffset(2024, 1, 15, 10, 0, 0, TimeSpan.Zero),
                Origin = TransactionOrigin.Manual,
            };
            transaction.Lines.Add(new TransactionLine { TransactionId = transaction.Id, Direction = LineDirection.In, Asset = asset, Quantity = quantity, UnitPrice = price, Currency = "USD" });
            transaction.Lines.Add(new TransactionLine { TransactionId = transaction.Id, Direction = LineDirection.Out, Asset = "USD", Quantity = quantity * price, UnitPrice = 1, Currency = "USD" });
            db.Transactions.Add(transaction);
            await db.SaveChangesAsync();
            return transaction.Id;
        });
}
