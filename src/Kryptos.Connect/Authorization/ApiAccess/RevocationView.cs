using System.Collections.Concurrent;
using System.Diagnostics;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization.ApiAccess;

/// <summary>Whether a validated access token may still be used.</summary>
public enum AccessState
{
    Allowed,

    /// <summary>Its grant or the token itself was revoked, or the account is disabled.</summary>
    Revoked,

    /// <summary>The view could not be refreshed for too long; nothing is allowed until it is.</summary>
    Unavailable,
}

/// <summary>
/// What the database says about the grants behind access tokens, held in memory and reloaded every
/// <see cref="ApiAccessOptions.RevocationRefreshInterval"/> by <see cref="RevocationViewRefresher"/>, so
/// the Connect API honours revocation without a database round trip per request.
/// </summary>
/// <remarks>
/// <para>
/// The view lists the <b>valid</b> grants rather than the revoked ones. A grant can end in three
/// ways: revoked (connected apps, a member removed, sharing rights changed, sign-out everywhere),
/// deleted with its account or workspace, or pruned after revocation. A list of revoked grants would
/// miss the last two — a deleted row says nothing — while a list of valid ones covers all of them.
/// </para>
/// <para>
/// A grant created after the last reload is unknown, not revoked: it is looked up once (one query by
/// key) and remembered until the next reload, so an app's first call right after consent works and a
/// token of a missing grant costs at most one query per reload.
/// </para>
/// <para>
/// Single access tokens revoked at <c>/oidc/token/revocation</c> are listed until they expire; an id
/// once seen revoked is kept until then even if pruning removes its row.
/// </para>
/// </remarks>
public sealed partial class RevocationView(
    IServiceScopeFactory scopes,
    IOptions<ApiAccessOptions> options,
    TimeProvider time,
    ILogger<RevocationView> logger)
{
    private Snapshot? _snapshot;
    private long _grantLookups;

    /// <summary>How many grants were looked up in the database since the start (grants newer than the view); for tests and diagnostics.</summary>
    public long GrantLookups => Interlocked.Read(ref _grantLookups);

    /// <summary>When the view was last loaded successfully (monotonic, unaffected by test clocks).</summary>
    public TimeSpan? Age => _snapshot is { } snapshot ? Stopwatch.GetElapsedTime(snapshot.LoadedAt) : null;

    public async ValueTask<AccessState> CheckAsync(ApiCaller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || Stopwatch.GetElapsedTime(snapshot.LoadedAt) > options.Value.RevocationStaleAfter)
        {
            return AccessState.Unavailable;
        }

        if (snapshot.DisabledUsers.Contains(caller.UserId)
            || (caller.TokenId is { } tokenId && snapshot.RevokedTokens.ContainsKey(tokenId)))
        {
            return AccessState.Revoked;
        }

        if (snapshot.ValidGrants.Contains(caller.GrantId))
        {
            return AccessState.Allowed;
        }

        if (!snapshot.LookedUp.TryGetValue(caller.GrantId, out var valid))
        {
            valid = await IsGrantValidAsync(caller.GrantId, cancellationToken);
            snapshot.LookedUp.TryAdd(caller.GrantId, valid);
        }

        return valid ? AccessState.Allowed : AccessState.Revoked;
    }

    /// <summary>Reloads the view from the database. Safe to call concurrently with <see cref="CheckAsync"/>.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var startedAt = Stopwatch.GetTimestamp();
        var now = time.GetUtcNow();
        // OpenIddict's entities keep UTC DateTime values.
        var nowUtc = now.UtcDateTime;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var validGrants = await db.OAuthGrants.AsNoTracking()
            .Where(g => g.Status == Statuses.Valid)
            .Select(g => g.Id!)
            .ToListAsync(cancellationToken);
        var revokedTokens = await db.Set<OAuthToken>().AsNoTracking()
            .Where(t => t.Type == TokenTypeIdentifiers.AccessToken && t.Status != Statuses.Valid && t.ExpirationDate > nowUtc)
            .Select(t => new { t.Id, t.ExpirationDate })
            .ToListAsync(cancellationToken);
        var disabledUsers = await db.Users.AsNoTracking()
            .Where(u => u.DisabledAt != null)
            .Select(u => u.Id)
            .ToListAsync(cancellationToken);

        var revoked = revokedTokens.ToDictionary(t => t.Id!, t => new DateTimeOffset(DateTime.SpecifyKind(t.ExpirationDate!.Value, DateTimeKind.Utc)), StringComparer.Ordinal);
        if (Volatile.Read(ref _snapshot) is { } previous)
        {
            foreach (var (id, expiresAt) in previous.RevokedTokens.Where(t => t.Value > now))
            {
                revoked.TryAdd(id, expiresAt);
            }
        }

        // The load time is when the queries began: everything revoked before then is in this snapshot.
        Volatile.Write(ref _snapshot, new Snapshot(
            new HashSet<string>(validGrants, StringComparer.Ordinal), revoked, [.. disabledUsers], startedAt));
    }

    private async Task<bool> IsGrantValidAsync(string grantId, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _grantLookups);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var valid = await db.OAuthGrants.AsNoTracking().AnyAsync(g => g.Id == grantId && g.Status == Statuses.Valid, cancellationToken);
        LogLookedUp(logger, grantId, valid);
        return valid;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Grant {GrantId} is newer than the revocation view; looked up: valid = {Valid}")]
    private static partial void LogLookedUp(ILogger logger, string grantId, bool valid);

    /// <summary>One load of the view. Never modified after it is published, except the lookups of newer grants.</summary>
    private sealed record Snapshot(
        HashSet<string> ValidGrants,
        Dictionary<string, DateTimeOffset> RevokedTokens,
        HashSet<Guid> DisabledUsers,
        long LoadedAt)
    {
        public ConcurrentDictionary<string, bool> LookedUp { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>
/// Loads the revocation view before the host listens, then reloads it on every instance at the
/// configured interval. The interval runs on the real clock, never a test's clock: revocation must
/// reach the API in real seconds.
/// </summary>
internal sealed partial class RevocationViewRefresher(
    RevocationView view, IOptions<ApiAccessOptions> options, ILogger<RevocationViewRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await view.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RevocationRefreshInterval, TimeProvider.System);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await view.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the last view; past RevocationStaleAfter it refuses every token.
                LogRefreshFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the Connect API's revocation view failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
