using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Kryptos.Connect.Authorization.ApiAccess;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Authorization.ApiKeys;

/// <summary>What checking an <c>X-API-Key</c> found.</summary>
public enum ApiKeyState
{
    Allowed,

    /// <summary>No live key has this hash: never issued, revoked, or deleted with its workspace. One answer for all.</summary>
    Unknown,

    Expired,

    /// <summary>The caller's address is outside the key's allow-list.</summary>
    AddressNotAllowed,

    /// <summary>The view could not be refreshed for too long; no key is honoured until it is.</summary>
    Unavailable,
}

/// <summary>
/// The live API keys (not revoked), held in memory by hash and reloaded every
/// <see cref="ApiAccessOptions.RevocationRefreshInterval"/> by <see cref="ApiKeyViewRefresher"/>, the
/// way <see cref="RevocationView"/> holds grants: checking a key costs a SHA-256 and a dictionary
/// lookup, no database round trip, and a key revoked anywhere stops working on every instance at its
/// next reload. Each entry carries its ready-made <see cref="ApiCaller"/>.
/// </summary>
/// <remarks>
/// <para>
/// A key created after the last reload is unknown, not invalid: it is looked up once by hash and
/// remembered until the next reload. Anybody can compute a well-formed key (the checksum is public),
/// so at most <see cref="MaxLookupsPerLoad"/> such lookups are made per reload; past that an unknown
/// key waits for the next reload.
/// </para>
/// <para>
/// Last use (time and address) is recorded in memory and written in one batch every
/// <see cref="UsageFlushInterval"/>, never once per request.
/// </para>
/// </remarks>
public sealed partial class ApiKeyView(
    IServiceScopeFactory scopes,
    IOptions<ApiAccessOptions> options,
    TimeProvider time,
    ILogger<ApiKeyView> logger)
{
    public const int MaxLookupsPerLoad = 256;
    public static readonly TimeSpan UsageFlushInterval = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<Guid, Usage> _usage = new();
    private readonly ConcurrentDictionary<TokenHash, long> _revokedHere = new();
    private Snapshot? _snapshot;
    private long _keyLookups;

    /// <summary>How many keys were looked up in the database since the start (keys newer than the view); for tests and diagnostics.</summary>
    public long KeyLookups => Interlocked.Read(ref _keyLookups);

    /// <summary>Checks a well-formed key; the caller is set only when the key is <see cref="ApiKeyState.Allowed"/>.</summary>
    public async ValueTask<(ApiKeyState State, ApiCaller? Caller)> CheckAsync(string key, IPAddress? remoteAddress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || Stopwatch.GetElapsedTime(snapshot.LoadedAt) > options.Value.RevocationStaleAfter)
        {
            return (ApiKeyState.Unavailable, null);
        }

        var hash = TokenHash.Of(key);
        if (!snapshot.Keys.TryGetValue(hash, out var entry) && !snapshot.LookedUp.TryGetValue(hash, out entry))
        {
            if (snapshot.LookedUp.Count >= MaxLookupsPerLoad)
            {
                return (ApiKeyState.Unknown, null);
            }

            entry = await LookUpAsync(hash, cancellationToken);
            snapshot.LookedUp.TryAdd(hash, entry);
        }

        if (entry is null || _revokedHere.ContainsKey(hash))
        {
            return (ApiKeyState.Unknown, null);
        }

        var now = time.GetUtcNow();
        if (entry.ExpiresAt is { } expiresAt && expiresAt <= now)
        {
            return (ApiKeyState.Expired, null);
        }

        if (entry.Networks is { } networks && !ApiKeyNetworks.Allows(networks, remoteAddress))
        {
            return (ApiKeyState.AddressNotAllowed, null);
        }

        _usage[entry.Caller.ApiKeyId!.Value] = new Usage(now, remoteAddress?.ToString());
        return (ApiKeyState.Allowed, entry.Caller);
    }

    /// <summary>A key revoked by this instance stops working here at once, before the next reload.</summary>
    public void Revoked(string hashHex) => _revokedHere[FromHex(hashHex)] = Stopwatch.GetTimestamp();

    /// <summary>Reloads the live keys from the database. Safe to call concurrently with <see cref="CheckAsync"/>.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        var startedAt = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var keys = await db.ApiKeys.AsNoTracking().Where(k => k.RevokedAt == null).ToListAsync(cancellationToken);
        var entries = new Dictionary<TokenHash, Entry>(keys.Count);
        foreach (var key in keys)
        {
            entries[FromHex(key.Hash)] = ToEntry(key);
        }

        Volatile.Write(ref _snapshot, new Snapshot(entries, startedAt));
        // Revocations committed before this load began are in it now.
        foreach (var (hash, revokedAt) in _revokedHere)
        {
            if (revokedAt < startedAt)
            {
                _revokedHere.TryRemove(new KeyValuePair<TokenHash, long>(hash, revokedAt));
            }
        }
    }

    /// <summary>Writes the recorded last uses in one transaction; keeps them for the next try when the database fails.</summary>
    public async Task FlushUsageAsync(CancellationToken cancellationToken = default)
    {
        if (_usage.IsEmpty)
        {
            return;
        }

        var batch = new List<(Guid Id, Usage Usage)>();
        foreach (var id in _usage.Keys)
        {
            if (_usage.TryRemove(id, out var usage))
            {
                batch.Add((id, usage));
            }
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            foreach (var (id, usage) in batch)
            {
                await db.ApiKeys.Where(k => k.Id == id).ExecuteUpdateAsync(
                    s => s.SetProperty(k => k.LastUsedAt, usage.At).SetProperty(k => k.LastUsedIp, usage.Address), cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch
        {
            foreach (var (id, usage) in batch)
            {
                _usage.TryAdd(id, usage);
            }

            throw;
        }
    }

    private async Task<Entry?> LookUpAsync(TokenHash hash, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _keyLookups);
        var hex = ToHex(hash);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var key = await db.ApiKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Hash == hex && k.RevokedAt == null, cancellationToken);
        LogLookedUp(logger, key is not null);
        return key is null ? null : ToEntry(key);
    }

    private static Entry ToEntry(ApiKey key)
    {
        // The creator's account answers /v1/users/me; a deleted creator leaves an id that finds nobody.
        var caller = new ApiCaller(key.CreatedByUserId ?? Guid.Empty, key.WorkspaceId, "", null, null, key.ScopeList, key.ExpiresAt ?? DateTimeOffset.MaxValue)
        {
            ApiKeyId = key.Id,
        };
        var networks = key.AllowedNetworks is null ? null : ApiKeyNetworks.Parse(key.AllowedNetworks).Networks ?? [];
        return new Entry(key.ExpiresAt, networks, caller);
    }

    internal static TokenHash FromHex(string hex)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(Convert.FromHexString(hex));
        return new TokenHash(words[0], words[1], words[2], words[3]);
    }

    private static string ToHex(TokenHash hash)
    {
        Span<ulong> words = [hash.A, hash.B, hash.C, hash.D];
        return Convert.ToHexStringLower(MemoryMarshal.AsBytes(words));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "An API key newer than the view was looked up: found = {Found}")]
    private static partial void LogLookedUp(ILogger logger, bool found);

    private sealed record Entry(DateTimeOffset? ExpiresAt, IReadOnlyList<IPNetwork>? Networks, ApiCaller Caller);

    private readonly record struct Usage(DateTimeOffset At, string? Address);

    private sealed record Snapshot(Dictionary<TokenHash, Entry> Keys, long LoadedAt)
    {
        public ConcurrentDictionary<TokenHash, Entry?> LookedUp { get; } = new();
    }
}

/// <summary>
/// Loads the key view before the host listens, reloads it at the revocation interval on the real
/// clock, writes last uses every <see cref="ApiKeyView.UsageFlushInterval"/>, and once more on a
/// graceful shutdown.
/// </summary>
internal sealed partial class ApiKeyViewRefresher(
    ApiKeyView view, IOptions<ApiAccessOptions> options, ILogger<ApiKeyViewRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await view.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await view.FlushUsageAsync(cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogFailed(logger, "writing last uses", e);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RevocationRefreshInterval, TimeProvider.System);
        var lastFlush = TimeProvider.System.GetTimestamp();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await view.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep the last view; past RevocationStaleAfter it refuses every key.
                LogFailed(logger, "reloading the API key view", e);
            }

            if (TimeProvider.System.GetElapsedTime(lastFlush) >= ApiKeyView.UsageFlushInterval)
            {
                lastFlush = TimeProvider.System.GetTimestamp();
                try
                {
                    await view.FlushUsageAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogFailed(logger, "writing last uses", e);
                }
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "API keys: {Step} failed")]
    private static partial void LogFailed(ILogger logger, string step, Exception exception);
}
