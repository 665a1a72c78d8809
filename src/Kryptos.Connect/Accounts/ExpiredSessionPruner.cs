using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting.Pruning;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// Removes server-side sessions past their expiry: <see cref="DatabaseTicketStore"/> already refuses
/// them, so the rows (each holding a serialized ticket) are only weight.
/// </summary>
internal sealed class ExpiredSessionPruner(KryptosDbContext db) : IPruner
{
    public string Name => "expired sessions";

    public Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        db.UserSessions.Where(s => s.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
}
