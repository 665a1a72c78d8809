using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting.Pruning;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Portal.Members;

/// <summary>
/// Removes invitations that can no longer be accepted (expired, revoked or accepted) once they are
/// older than <see cref="PruningOptions.InvitationRetention"/>; until then their link explains what
/// happened instead of answering "not found". Pending invitations are never removed. Who joined and
/// who was invited stays in the audit log.
/// </summary>
internal sealed class InvitationPruner(KryptosDbContext db, IOptions<PruningOptions> options) : IPruner
{
    public string Name => "expired, revoked or accepted invitations";

    public Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var before = now - options.Value.InvitationRetention;
        return db.WorkspaceInvitations
            .Where(i => i.ExpiresAt < before || i.RevokedAt < before || i.AcceptedAt < before)
            .ExecuteDeleteAsync(cancellationToken);
    }
}
