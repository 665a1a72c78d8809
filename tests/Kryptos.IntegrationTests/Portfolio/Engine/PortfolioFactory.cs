using System.Collections.Concurrent;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kryptos.IntegrationTests.Portfolio.Engine;

/// <summary>A host with a movable clock and a price source the test fills (and can hold back).</summary>
public sealed class PortfolioFactory : FakeClockFactory
{
    public FakePriceSource Prices { get; } = new();

    public IPortfolioViews Views => Services.GetRequiredService<IPortfolioViews>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<IPriceSource>();
            services.AddSingleton<IPriceSource>(Prices);
        });
    }
}

/// <summary>
/// Daily closes a test sets, answered like the product's price source (the close that day or the
/// latest before). <see cref="Gate"/>, when set, holds every call until the test completes it.
/// </summary>
public sealed class FakePriceSource : IPriceSource
{
    private int calls;

    public ConcurrentDictionary<(string Asset, DateOnly Day), decimal> Closes { get; } = new();

    public TaskCompletionSource? Gate { get; set; }

    public int Calls => Volatile.Read(ref calls);

    public async ValueTask<IReadOnlyDictionary<string, PricePoint>> GetClosesAsync(
        Guid workspaceId, IReadOnlyCollection<string> assets, string currency, DateOnly day, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref calls);
        if (Gate is { } gate)
        {
            await gate.Task;
        }

        var answer = new Dictionary<string, PricePoint>(StringComparer.Ordinal);
        foreach (var asset in assets)
        {
            var latest = Closes.Where(c => c.Key.Asset == asset && c.Key.Day <= day).OrderByDescending(c => c.Key.Day).FirstOrDefault();
            if (latest.Key.Asset is not null)
            {
                answer[asset] = new PricePoint(asset, latest.Key.Day, latest.Value, currency, "demo");
            }
        }

        return answer;
    }
}

/// <summary>Portfolio data written straight to the database, for arranging.</summary>
public static class PortfolioData
{
    public static async Task<Guid> AddAccountAsync(this KryptosFactory factory, Guid workspaceId, string name = "Coinbase")
    {
        ArgumentNullException.ThrowIfNull(factory);
        var integration = new Integration { WorkspaceId = workspaceId, ProviderId = "coinbase", Name = name, Kind = IntegrationKind.Exchange };
        return await factory.WithDbAsync(async db =>
        {
            db.Integrations.Add(integration);
            await db.SaveChangesAsync();
            return integration.Id;
        });
    }

    /// <summary>A buy (positive quantity, paid in USD) or a sale (negative quantity, for USD) at a unit price.</summary>
    public static Task TradeAsync(this KryptosFactory factory, Guid workspaceId, Guid accountId, string date, string asset, decimal quantity, decimal price)
    {
        var (assetSide, cashSide) = quantity > 0 ? (LineDirection.In, LineDirection.Out) : (LineDirection.Out, LineDirection.In);
        return factory.AddTransactionAsync(workspaceId, accountId, date, TransactionType.Trade, quantity > 0 ? TransactionLabel.Buy : TransactionLabel.Sell,
            (assetSide, asset, Math.Abs(quantity), price),
            (cashSide, "USD", Math.Abs(quantity) * price, 1m));
    }

    public static async Task<Guid> AddTransactionAsync(this KryptosFactory factory, Guid workspaceId, Guid accountId, string date,
        TransactionType type, TransactionLabel label, params (LineDirection Direction, string Asset, decimal Quantity, decimal? Price)[] lines)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(lines);
        var at = DateTimeOffset.Parse(date + "T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        var transaction = new PortfolioTransaction
        {
            WorkspaceId = workspaceId,
            IntegrationId = accountId,
            Type = type,
            Label = label,
            OccurredAt = at,
            Origin = TransactionOrigin.Manual,
            CreatedAt = at,
            UpdatedAt = at,
        };
        transaction.Lines.AddRange(lines.Select(l => new TransactionLine
        {
            Direction = l.Direction,
            Asset = l.Asset,
            Quantity = l.Quantity,
            UnitPrice = l.Price,
            Currency = "USD",
        }));
        return await factory.WithDbAsync(async db =>
        {
            db.Transactions.Add(transaction);
            await db.SaveChangesAsync();
            return transaction.Id;
        });
    }
}
