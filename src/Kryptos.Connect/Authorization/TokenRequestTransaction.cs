using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore.Storage;
using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// One commit per token response instead of one per token. Issuing tokens at the token endpoint
/// writes several rows — the presented refresh token or code marked redeemed, then an entry for each
/// new token — and OpenIddict's stores save each one on its own, so each was a commit (a WAL sync on
/// SQLite). Here the writes of a sign-in share one transaction, opened when the sign-in starts and
/// committed just before OpenIddict writes the response (docs/decisions/0012): a client never holds a
/// token that is not on disk, and a sign-in that fails half-way leaves nothing behind, the presented
/// token included.
/// </summary>
/// <remarks>
/// Replay detection is not in this transaction: a reused refresh token is found while the request is
/// authenticated, before the sign-in, and the grant's revocation commits on its own. A rejected
/// sign-in never reaches <see cref="Commit"/>; its transaction is rolled back when the request's
/// scope disposes the context.
/// </remarks>
internal sealed class TokenRequestTransaction(KryptosDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
{
    /// <summary>Before every built-in sign-in handler, so the redemption is the first write in it.</summary>
    public static OpenIddictServerHandlerDescriptor BeginDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenRequest>()
            .UseScopedHandler<TokenRequestTransaction>()
            .SetOrder(int.MinValue + 50_000)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    /// <summary>After every token entry was created, just before the response is written.</summary>
    public static OpenIddictServerHandlerDescriptor CommitDescriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessSignInContext>()
            .AddFilter<OpenIddictServerHandlerFilters.RequireTokenRequest>()
            .UseScopedHandler<Commit>()
            .SetOrder(OpenIddictServerHandlers.Exchange.ApplyTokenResponse<ProcessSignInContext>.Descriptor.Order - 1)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessSignInContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (db.Database.CurrentTransaction is null)
        {
            await db.Database.BeginTransactionAsync(context.CancellationToken);
        }
    }

    /// <summary>Commits the sign-in's writes; the response is written only after this returned.</summary>
    internal sealed class Commit(KryptosDbContext db) : IOpenIddictServerHandler<ProcessSignInContext>
    {
        public async ValueTask HandleAsync(ProcessSignInContext context)
        {
            ArgumentNullException.ThrowIfNull(context);
            if (db.Database.CurrentTransaction is IDbContextTransaction transaction)
            {
                await transaction.CommitAsync(context.CancellationToken);
                await transaction.DisposeAsync();
            }
        }
    }
}
