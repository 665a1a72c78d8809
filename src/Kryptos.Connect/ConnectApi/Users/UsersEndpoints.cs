using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.ConnectApi.Users;

/// <param name="Id">The account's stable id: the <c>sub</c> of the user's tokens.</param>
/// <param name="DisplayName">The name the user chose.</param>
/// <param name="Email">The user's email address, only when the token also has the <c>email</c> scope; otherwise null.</param>
/// <param name="EmailVerified">Whether the address is verified, only with the <c>email</c> scope; otherwise null.</param>
/// <param name="Language">Preferred language (BCP 47 tag).</param>
/// <param name="CreatedAt">When the account was created (UTC).</param>
public sealed record UserProfile(Guid Id, string DisplayName, string? Email, bool? EmailVerified, string Language, DateTimeOffset CreatedAt);

/// <summary><c>GET /v1/users/me</c>: the person who granted the token (<c>users:read</c>).</summary>
public static class UsersEndpoints
{
    public static RouteGroupBuilder MapUsers(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var users = v1.MapGroup("/users").WithTags("Users").RequireScope(KryptosScopes.UsersRead);
        users.MapGet("/me", GetCurrentUserAsync)
            .WithName("GetCurrentUser")
            .WithSummary("The user who authorized the app")
            .WithDescription("Profile and preferences of the user who granted the access token. The email address is included only when the token also has the `email` scope.")
            .WithExample(new DataEnvelope<UserProfile>(new UserProfile(Guid.Parse("0197f2a4-6c1e-7d3a-9b52-3f1c2e8d4a10"), "Ada Lovelace",
                "ada@example.com", true, "en", new DateTimeOffset(2026, 1, 15, 9, 30, 0, TimeSpan.Zero))));
        return v1;
    }

    public static async Task<Results<Ok<DataEnvelope<UserProfile>>, ProblemHttpResult>> GetCurrentUserAsync(
        CurrentWorkspace current, KryptosDbContext db, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(db);
        var user = await db.Users.AsNoTracking()
            .Where(u => u.Id == current.UserId)
            .Select(u => new { u.Id, u.DisplayName, u.Email, u.EmailConfirmed, u.Language, u.CreatedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (user is null)
        {
            return ApiProblems.NotFound("The account no longer exists.");
        }

        var withEmail = current.HasScope(KryptosScopes.Email);
        return TypedResults.Ok(new DataEnvelope<UserProfile>(new UserProfile(
            user.Id, user.DisplayName, withEmail ? user.Email : null, withEmail ? user.EmailConfirmed : null, user.Language, user.CreatedAt)));
    }
}
