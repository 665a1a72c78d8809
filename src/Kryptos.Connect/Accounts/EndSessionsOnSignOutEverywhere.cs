using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Data;

namespace Kryptos.Connect.Accounts;

/// <summary>Every browser session of the account ends: a stolen or planted session cookie stops working at once.</summary>
internal sealed class EndSessionsOnSignOutEverywhere(KryptosDbContext db) : IHandles<AccountSignedOutEverywhere>
{
    public Task HandleAsync(AccountSignedOutEverywhere domainEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domainEvent);
        return db.UserSessions.EndAllAsync(domainEvent.UserId, cancellationToken);
    }
}
