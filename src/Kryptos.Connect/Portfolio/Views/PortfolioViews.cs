using System.Collections.Concurrent;
using Kryptos.Connect.Data;
using Kryptos.Connect.Portfolio.Engine;
using Kryptos.Connect.Portfolio.Prices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Portfolio.Views;

/// <summary>
/// Serves each workspace's <see cref="PortfolioSnapshot"/> from memory and computes it on a miss: the
/// workspace's data loaded without tracking (one query per table, filtered by workspace), prices from
/// <see cref="IPriceSource"/>, then the engine. Concurrent misses of one workspace share a single
/// computation. <see cref="Invalidate"/> drops the snapshot and any computation still running, and a
/// computation that started before an invalidation never enters the cache, so a read that follows
/// a write always sees it.
/// </summary>
internal sealed partial class PortfolioViews : IPortfolioViews, IDisposable
{
    private readonly IServiceScopeFactory scopes;
    private readonly TimeProvider time;
    private readonly PortfolioViewsOptions options;
    private readonly ILogger<PortfolioViews> logger;
    private readonly MemoryCache cache;
    private readonly ConcurrentDictionary<Guid, long> versions = new();
    private readonly ConcurrentDictionary<Guid, Computation> running = new();

    public PortfolioViews(IServiceScopeFactory scopes, TimeProvider time, IOptions<PortfolioViewsOptions> options, ILogger<PortfolioViews> logger)
    {
        this.scopes = scopes;
        this.time = time;
        this.options = options.Value;
        this.logger = logger;

        // A cache of its own: a size limit makes every entry of the cache declare a size, which the
        // shared IMemoryCache of other features does not.
        cache = new MemoryCache(new MemoryCacheOptions { SizeLimit = this.options.MaxCachedWorkspaces, Clock = new CacheClock(time) });
    }

    public async ValueTask<PortfolioSnapshot> GetAsync(Guid workspaceId, CancellationToken cancellationToken = default)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        if (cache.TryGetValue(workspaceId, out PortfolioSnapshot? cached) && cached!.Prices.AsOf == today)
        {
            return cached;
        }

        var version = versions.GetOrAdd(workspaceId, 0);
        var computation = running.GetOrAdd(workspaceId, id => new Computation(this, id, version));

        // The computation is shared: one caller giving up must not cancel it for the others.
        return await computation.Result.Value.WaitAsync(cancellationToken);
    }

    public void Invalidate(Guid workspaceId)
    {
        versions.AddOrUpdate(workspaceId, 1, (_, version) => version + 1);
        cache.Remove(workspaceId);
        running.TryRemove(workspaceId, out _);
    }

    public void Dispose() => cache.Dispose();

    private async Task<PortfolioSnapshot> ComputeAsync(Computation computation)
    {
        try
        {
            var started = time.GetTimestamp();
            var snapshot = await LoadAndComputeAsync(computation.WorkspaceId);
            if (versions.GetValueOrDefault(computation.WorkspaceId) == computation.Version)
            {
                cache.Set(computation.WorkspaceId, snapshot, new MemoryCacheEntryOptions
                {
                    Size = 1,
                    AbsoluteExpirationRelativeToNow = options.MaxAge,
                });
            }

            Log.Computed(logger, computation.WorkspaceId, snapshot.Ledger.Count, time.GetElapsedTime(started).TotalMilliseconds);
            return snapshot;
        }
        finally
        {
            running.TryRemove(new KeyValuePair<Guid, Computation>(computation.WorkspaceId, computation));
        }
    }

    private async Task<PortfolioSnapshot> LoadAndComputeAsync(Guid workspaceId)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var now = time.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var settings = await db.Workspaces.AsNoTracking()
            .Where(w => w.Id == workspaceId)
            .Select(w => new { w.BaseCurrency, w.CostBasisMethod })
            .SingleOrDefaultAsync();
        var baseCurrency = settings?.BaseCurrency ?? "USD";
        var integrations = await db.Integrations.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).ToListAsync();
        var transactions = await db.Transactions.AsNoTracking()
            .Where(t => t.WorkspaceId == workspaceId)
            .Include(t => t.Lines)
            .AsSplitQuery()
            .ToListAsync();

        // Until a price source is registered there are no prices: holdings have no market value.
        var prices = scope.ServiceProvider.GetService<IPriceSource>();
        IReadOnlyDictionary<string, PricePoint> current = new Dictionary<string, PricePoint>();
        var historical = new Dictionary<PriceKey, decimal>();
        if (prices is not null)
        {
            var assets = PortfolioEngine.AssetsToValue(transactions, baseCurrency);
            if (assets.Count > 0)
            {
                current = await prices.GetClosesAsync(workspaceId, assets, baseCurrency, today);
            }

            foreach (var (day, needed) in PortfolioEngine.PricesNeeded(transactions, baseCurrency))
            {
                var closes = await prices.GetClosesAsync(workspaceId, [.. needed], baseCurrency, day);
                foreach (var close in closes.Values.Where(c => c.Currency == baseCurrency))
                {
                    historical[new PriceKey(close.Asset, day)] = close.Close;
                }
            }
        }

        return PortfolioEngine.Compute(new PortfolioInput(
            workspaceId,
            baseCurrency,
            settings?.CostBasisMethod ?? default,
            now,
            transactions,
            integrations,
            current,
            historical));
    }

    /// <summary>One computation of a workspace's snapshot, started by the first reader that needs it.</summary>
    private sealed class Computation
    {
        public Computation(PortfolioViews views, Guid workspaceId, long version)
        {
            WorkspaceId = workspaceId;
            Version = version;

            // Lazy: of the Computation objects racing readers create, only the one stored runs.
            Result = new Lazy<Task<PortfolioSnapshot>>(() => views.ComputeAsync(this));
        }

        public Guid WorkspaceId { get; }
        public long Version { get; }
        public Lazy<Task<PortfolioSnapshot>> Result { get; }
    }

    /// <summary>Makes the cache's expirations follow the injected clock (tests move it).</summary>
    private sealed class CacheClock(TimeProvider time) : Microsoft.Extensions.Internal.ISystemClock
    {
        public DateTimeOffset UtcNow => time.GetUtcNow();
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Debug, "Computed the portfolio of workspace {WorkspaceId}: {TransactionCount} transactions in {ElapsedMs:0.0} ms.")]
        public static partial void Computed(ILogger logger, Guid workspaceId, int transactionCount, double elapsedMs);
    }
}
