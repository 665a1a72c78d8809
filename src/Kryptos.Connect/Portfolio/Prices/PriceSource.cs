using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Portfolio.Prices;

/// <summary>
/// The product's <see cref="IPriceSource"/>: for each asset, the freshest close on or before the day
/// from (1) the workspace's imported prices, (2) the configured price API, (3) the bundled demo
/// snapshot. On a tie (the same day) the earlier source wins, so an imported close beats the API and
/// the demo snapshot for its day, and an API close beats the demo snapshot. The API is asked only for
/// assets no import has on the day itself; a failing API is skipped. A singleton: each call opens its
/// own database scope, so cached views and request code can both use it.
/// </summary>
public sealed class PriceSource(IServiceScopeFactory scopes, CoinGeckoPriceApi api) : IPriceSource
{
    public const string ImportSource = "import";

    public async ValueTask<IReadOnlyDictionary<string, PricePoint>> GetClosesAsync(
        Guid workspaceId,
        IReadOnlyCollection<string> assets,
        string currency,
        DateOnly day,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(currency);
        currency = currency.ToUpperInvariant();
        var wanted = assets.Select(a => a.ToUpperInvariant()).Distinct(StringComparer.Ordinal).ToList();
        var result = new Dictionary<string, PricePoint>(StringComparer.Ordinal);
        if (wanted.Count == 0)
        {
            return result;
        }

        foreach (var point in await ImportedAsync(workspaceId, wanted, currency, day, cancellationToken))
        {
            result[point.Asset] = point;
        }

        var needApi = wanted.Where(a => !result.TryGetValue(a, out var p) || p.Date < day).ToList();
        if (needApi.Count > 0 && api.IsEnabled)
        {
            foreach (var point in (await api.GetClosesAsync(needApi, currency, day, cancellationToken)).Values)
            {
                Offer(result, point);
            }
        }

        foreach (var asset in wanted)
        {
            if (DemoPrices.Close(asset, currency, day) is { } point)
            {
                Offer(result, point);
            }
        }

        return result;
    }

    /// <summary>Keeps <paramref name="point"/> when it is strictly fresher than what an earlier source gave.</summary>
    private static void Offer(Dictionary<string, PricePoint> result, PricePoint point)
    {
        if (!result.TryGetValue(point.Asset, out var existing) || point.Date > existing.Date)
        {
            result[point.Asset] = point;
        }
    }

    private async Task<List<PricePoint>> ImportedAsync(Guid workspaceId, List<string> assets, string currency, DateOnly day, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var points = new List<PricePoint>();
        // One indexed lookup per asset (WorkspaceId, Asset, Currency, Date): a handful of assets per call.
        foreach (var asset in assets)
        {
            var quote = await db.PriceQuotes.AsNoTracking()
                .Where(q => q.WorkspaceId == workspaceId && q.Asset == asset && q.Currency == currency && q.Date <= day)
                .OrderByDescending(q => q.Date)
                .Select(q => new { q.Date, q.Close })
                .FirstOrDefaultAsync(cancellationToken);
            if (quote is not null)
            {
                points.Add(new PricePoint(asset, quote.Date, quote.Close, currency, ImportSource));
            }
        }

        return points;
    }
}
