namespace Kryptos.Connect.Portfolio.Prices;

/// <summary>
/// A daily close of an asset. <see cref="Source"/> says where it came from: <c>demo</c> (the bundled
/// snapshot), <c>import</c> (the workspace's price CSV) or <c>api</c> (the configured price API).
/// </summary>
public sealed record PricePoint(string Asset, DateOnly Date, decimal Close, string Currency, string Source);

/// <summary>
/// Market prices, by day. The product's price source combines the workspace's imported prices, the
/// configured price API and the bundled demo snapshot, in that order.
/// </summary>
public interface IPriceSource
{
    /// <summary>
    /// The close of each asset on <paramref name="day"/> in <paramref name="currency"/>, or the latest
    /// close before it; assets no source knows are left out of the answer.
    /// </summary>
    ValueTask<IReadOnlyDictionary<string, PricePoint>> GetClosesAsync(
        Guid workspaceId,
        IReadOnlyCollection<string> assets,
        string currency,
        DateOnly day,
        CancellationToken cancellationToken = default);
}
