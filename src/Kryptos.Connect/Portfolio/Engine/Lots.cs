using Kryptos.Connect.Core.Workspaces;

namespace Kryptos.Connect.Portfolio.Engine;

/// <summary>
/// A quantity of an asset acquired at one time for one cost, sitting in one account. Transfers split
/// lots and move the parts, keeping their acquisition time and unit cost.
/// </summary>
internal sealed class Lot
{
    public required string Asset { get; init; }
    public required Guid AccountId { get; init; }
    public required DateTimeOffset AcquiredAt { get; init; }

    /// <summary>The cost of one unit when acquired (HIFO orders by it); unchanged by partial disposals.</summary>
    public required decimal UnitCost { get; init; }

    /// <summary>Creation order: breaks ties between lots acquired at the same time.</summary>
    public required long Sequence { get; init; }

    public decimal Quantity { get; set; }
    public decimal Cost { get; set; }

    /// <summary>
    /// Takes up to <paramref name="quantity"/> out of the lot, with its share of the cost. The remaining
    /// cost is what is left after subtraction, so the cost of a lot is conserved exactly across parts.
    /// </summary>
    public LotPiece Take(decimal quantity)
    {
        var taken = Math.Min(quantity, Quantity);
        var cost = taken == Quantity ? Cost : PortfolioEngine.Money(Cost * taken / Quantity);
        Quantity -= taken;
        Cost -= cost;
        return new LotPiece(AcquiredAt, taken, cost, UnitCost, Sequence);
    }
}

/// <summary>A part of a lot taken out by a disposal or a transfer.</summary>
internal readonly record struct LotPiece(DateTimeOffset AcquiredAt, decimal Quantity, decimal Cost, decimal UnitCost, long Sequence);

/// <summary>What leaving an account took: the pieces, how much came from other accounts, and how much was missing.</summary>
internal sealed record LotTake(IReadOnlyList<LotPiece> Pieces, decimal FromOtherAccounts, decimal Missing);

/// <summary>
/// The open lots of a workspace, per asset. A quantity leaving an account takes that account's lots
/// first, in the cost-basis method's order; only when the account holds too little does it take lots
/// from the workspace's other accounts (a transfer that was never recorded), again in method order.
/// </summary>
internal sealed class LotBook(CostBasisMethod method)
{
    private readonly Dictionary<string, List<Lot>> lots = new(StringComparer.Ordinal);

    public void Add(Lot lot)
    {
        if (lot.Quantity <= 0)
        {
            return;
        }

        if (!lots.TryGetValue(lot.Asset, out var list))
        {
            list = [];
            lots[lot.Asset] = list;
        }

        list.Add(lot);
    }

    public IEnumerable<Lot> All => lots.Values.SelectMany(l => l);

    public LotTake Take(string asset, Guid accountId, decimal quantity)
    {
        var pieces = new List<LotPiece>();
        if (!lots.TryGetValue(asset, out var list))
        {
            return new LotTake(pieces, 0, quantity);
        }

        var remaining = TakeFrom(list.Where(l => l.AccountId == accountId), quantity, pieces);
        var fromOthers = 0m;
        if (remaining > 0)
        {
            var before = remaining;
            remaining = TakeFrom(list.Where(l => l.AccountId != accountId), remaining, pieces);
            fromOthers = before - remaining;
        }

        list.RemoveAll(l => l.Quantity <= 0);
        return new LotTake(pieces, fromOthers, remaining);
    }

    private decimal TakeFrom(IEnumerable<Lot> candidates, decimal quantity, List<LotPiece> pieces)
    {
        foreach (var lot in Order(candidates).ToList())
        {
            if (quantity <= 0)
            {
                break;
            }

            var piece = lot.Take(quantity);
            pieces.Add(piece);
            quantity -= piece.Quantity;
        }

        return quantity;
    }

    /// <summary>
    /// FIFO: oldest first. LIFO: newest first. HIFO: highest unit cost first, the oldest of equal
    /// cost first. Ties on time fall back to creation order, so the result never depends on sorting.
    /// </summary>
    private IEnumerable<Lot> Order(IEnumerable<Lot> candidates) => method switch
    {
        CostBasisMethod.Lifo => candidates.OrderByDescending(l => l.AcquiredAt).ThenByDescending(l => l.Sequence),
        CostBasisMethod.Hifo => candidates.OrderByDescending(l => l.UnitCost).ThenBy(l => l.AcquiredAt).ThenBy(l => l.Sequence),
        _ => candidates.OrderBy(l => l.AcquiredAt).ThenBy(l => l.Sequence),
    };
}
