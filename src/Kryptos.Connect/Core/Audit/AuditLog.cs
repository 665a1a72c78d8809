using System.Security.Claims;
using Kryptos.Connect.Data;

namespace Kryptos.Connect.Core.Audit;

/// <summary>
/// Adds audit events to the current unit of work, so an event is saved with the change it
/// describes (or not at all). Actor and IP come from the current request.
/// </summary>
public sealed class AuditLog(KryptosDbContext db, IHttpContextAccessor http, TimeProvider time)
{
    /// <summary>Records an action of the signed-in user, or of <paramref name="actor"/> when given.</summary>
    public void Record(Guid workspaceId, string action, string summary, Core.User? actor = null)
    {
        var context = http.HttpContext;
        var user = context?.User;
        Guid? actorId = actor?.Id ?? (Guid.TryParse(user?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null);
        db.AuditEvents.Add(new AuditEvent
        {
            WorkspaceId = workspaceId,
            ActorUserId = actorId,
            ActorEmail = actor?.Email ?? user?.FindFirstValue(ClaimTypes.Email) ?? user?.Identity?.Name ?? "system",
            Action = action,
            Summary = summary,
            IpAddress = context?.Connection.RemoteIpAddress?.ToString(),
            OccurredAt = time.GetUtcNow(),
        });
    }
}
