using System.Security.Claims;
using System.Security.Cryptography;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Accounts;

/// <summary>Server-side storage of portal sessions (see <see cref="UserSession"/>).</summary>
internal sealed class DatabaseTicketStore(IServiceScopeFactory scopes, TimeProvider time) : ITicketStore
{
    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var session = new UserSession
        {
            Id = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32)),
            UserId = UserIdOf(ticket),
            Ticket = TicketSerializer.Default.Serialize(ticket),
            CreatedAt = time.GetUtcNow(),
            LastSeenAt = time.GetUtcNow(),
            ExpiresAt = ticket.Properties.ExpiresUtc,
        };
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        db.UserSessions.Add(session);
        await db.SaveChangesAsync();
        return session.Id;
    }

    public async Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        // A key query, not FindAsync: EF Core compiles Find's key value into a new dynamic method per call.
        var session = await db.UserSessions.SingleOrDefaultAsync(s => s.Id == key);
        if (session is null)
        {
            return;
        }

        session.UserId = UserIdOf(ticket);
        session.Ticket = TicketSerializer.Default.Serialize(ticket);
        session.ExpiresAt = ticket.Properties.ExpiresUtc;
        session.LastSeenAt = time.GetUtcNow();
        await db.SaveChangesAsync();
    }

    /// <summary>The overload the cookie handler calls; it also remembers which session the request uses.</summary>
    public async Task<AuthenticationTicket?> RetrieveAsync(string key, HttpContext httpContext, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var ticket = await RetrieveAsync(key);
        if (ticket is not null)
        {
            httpContext.Items[UserSessions.CurrentSessionItem] = key;
        }

        return ticket;
    }

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var session = await db.UserSessions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == key);
        if (session is null || session.ExpiresAt < time.GetUtcNow())
        {
            return null;
        }

        return TicketSerializer.Default.Deserialize(session.Ticket);
    }

    public async Task RemoveAsync(string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        await db.UserSessions.Where(s => s.Id == key).ExecuteDeleteAsync();
    }

    private static Guid UserIdOf(AuthenticationTicket ticket) =>
        Guid.Parse(ticket.Principal.FindFirstValue(ClaimTypes.NameIdentifier)
            ?? throw new InvalidOperationException("A session ticket must carry the user id."));
}

internal static class UserSessions
{
    internal static readonly object CurrentSessionItem = new();

    /// <summary>Ends every server-side session of a user (logout everywhere, password reset).</summary>
    public static Task<int> EndAllAsync(this DbSet<UserSession> sessions, Guid userId, CancellationToken cancellationToken = default) =>
        sessions.Where(s => s.UserId == userId).ExecuteDeleteAsync(cancellationToken);

    /// <summary>
    /// Ends every session of a user except the one of the current request (password change). Signing
    /// in again cannot replace a deleted current session: the cookie handler renews the request's
    /// session key instead of storing a new one, so that key must stay valid.
    /// </summary>
    public static Task<int> EndAllOthersAsync(this DbSet<UserSession> sessions, Guid userId, HttpContext current)
    {
        var keep = current.Items[CurrentSessionItem] as string;
        return sessions.Where(s => s.UserId == userId && s.Id != keep).ExecuteDeleteAsync();
    }
}
