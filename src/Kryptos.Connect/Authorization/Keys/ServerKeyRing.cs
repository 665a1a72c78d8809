using System.Security.Cryptography;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;

namespace Kryptos.Connect.Authorization.Keys;

/// <summary>
/// The authorization server's signing and encryption keys, kept in the database so that every
/// instance uses the same ones and they survive restarts. RSA signs what others validate (access and
/// ID tokens); 256-bit secrets sign and encrypt what only this server reads (codes and refresh
/// tokens, <see cref="InternalTokensWithSecrets"/>; docs/decisions/0013). Each use has a current key and a next key:
/// the next key is published in JWKS <see cref="ServerKeyOptions.PublishAhead"/> before it signs, and a
/// retired key keeps validating (and decrypting) for <see cref="ServerKeyOptions.RetainAfterRetirement"/>.
/// <para>
/// OpenIddict reads its options through <c>IOptionsMonitor</c>; when <see cref="RefreshAsync"/> finds a
/// change it fires a change token, and the options are rebuilt with the new keys without a restart.
/// </para>
/// </summary>
public sealed partial class ServerKeyRing(
    IServiceScopeFactory scopes,
    IDataProtectionProvider dataProtection,
    IOptions<ServerKeyOptions> options,
    TimeProvider time,
    ILogger<ServerKeyRing> logger)
    : IConfigureOptions<OpenIddictServerOptions>, IOptionsChangeTokenSource<OpenIddictServerOptions>, IDisposable
{
    private readonly IDataProtector _protector = dataProtection.CreateProtector("Kryptos.Connect.ServerKeys.v1");
    private IReadOnlyList<LoadedKey> _keys = [];
    private string _signature = "";
    private CancellationTokenSource _changed = new();
    private CancellationTokenSource _validationChanged = new();

    public string? Name => Options.DefaultName;

    /// <summary>The keys as last loaded, for diagnostics and tests.</summary>
    public IReadOnlyList<LoadedKey> Keys => _keys;

    public IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

    /// <summary>
    /// Fires right after <see cref="GetChangeToken"/>, for OpenIddict's validation options, which copy
    /// the server options' keys when they are built (<c>UseLocalServer</c>). With one token for both,
    /// the validation options could be rebuilt from server options not yet rebuilt (change callbacks
    /// run in no useful order), and the Connect API would keep refusing tokens signed by the new keys.
    /// </summary>
    public IChangeToken GetValidationChangeToken() => new CancellationChangeToken(_validationChanged.Token);

    /// <summary>The uses this ring creates keys for; <see cref="ServerKeyUse.Encryption"/> keys are only read until they expire.</summary>
    private static readonly ServerKeyUse[] Created = [ServerKeyUse.Signing, ServerKeyUse.SigningSecret, ServerKeyUse.EncryptionSecret];

    /// <summary>
    /// Adds the key ring to OpenIddict's options: every listed key validates or decrypts, and
    /// <see cref="InternalTokensWithSecrets"/> picks the <see cref="Current"/> one of the right use for
    /// each new token. JWKS and discovery list only the RSA signing keys (OpenIddict leaves symmetric keys out).
    /// </summary>
    public void Configure(OpenIddictServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var now = time.GetUtcNow();
        foreach (var key in Ordered(ServerKeyUse.Signing, now))
        {
            options.SigningCredentials.Add(new SigningCredentials(key.SecurityKey, SecurityAlgorithms.RsaSha256));
        }

        foreach (var key in Ordered(ServerKeyUse.SigningSecret, now))
        {
            options.SigningCredentials.Add(new SigningCredentials(key.SecurityKey, SecurityAlgorithms.HmacSha256));
        }

        foreach (var key in Ordered(ServerKeyUse.EncryptionSecret, now))
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(key.SecurityKey, SecurityAlgorithms.Aes256KW, SecurityAlgorithms.Aes256CbcHmacSha512));
        }

        // Tokens encrypted with RSA before the secrets existed still decrypt, never newly encrypted.
        foreach (var key in Ordered(ServerKeyUse.Encryption, now))
        {
            options.EncryptionCredentials.Add(new EncryptingCredentials(key.SecurityKey, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512));
        }
    }

    /// <summary>The key that signs or encrypts now for <paramref name="use"/> (the newest current one), if the ring has one.</summary>
    public SecurityKey? Current(ServerKeyUse use) => Ordered(use, time.GetUtcNow()).FirstOrDefault()?.SecurityKey;

    /// <summary>Creates and retires keys when due, then loads the ring. Safe to run on several instances at once.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var settings = options.Value;
        var now = time.GetUtcNow();

        await db.ServerKeys.Where(k => k.ExpiresAt < now).ExecuteDeleteAsync(cancellationToken);
        var (loaded, generations) = await LoadAsync(db, cancellationToken);
        var added = false;
        foreach (var use in Created)
        {
            var keys = loaded.Where(k => k.Key.Use == use).Select(k => k.Key).ToList();
            var latest = keys.MaxBy(k => k.ActivatesAt);
            // Counted over every stored key of the use, readable or not, in the same read as the
            // keys themselves: a decision and its generation always come from one snapshot.
            var generation = generations.GetValueOrDefault(use, -1);
            if (!keys.Any(k => IsCurrent(k, now)))
            {
                // First start, or the keys cannot be read any more (Data Protection keys lost):
                // a key that is current right away, and its successor. Instances starting together
                // on an empty database race for the same generations; the losers adopt the keys of
                // the winner, so every instance encrypts and signs with keys all the others hold.
                added |= await TryAddAsync(db, use, generation + 1, activatesAt: now, cancellationToken);
                added |= await TryAddAsync(db, use, generation + 2, activatesAt: now + settings.RotationPeriod, cancellationToken);
            }
            else if (latest!.ActivatesAt - settings.PublishAhead <= now)
            {
                // The newest key is published (or already current): line up the one after it. Every
                // instance learns of it at its next refresh, long before it signs (PublishAhead).
                added |= await TryAddAsync(db, use, generation + 1, activatesAt: latest.ActivatesAt + settings.RotationPeriod, cancellationToken);
            }
        }

        if (added)
        {
            (loaded, _) = await LoadAsync(db, cancellationToken);
        }

        _keys = loaded;
        // Rebuild OpenIddict's options when the offered keys or their order changed (a key was
        // created, became current, retired or expired).
        var signature = string.Join(',', Enum.GetValues<ServerKeyUse>().SelectMany(use => Ordered(use, now)).Select(k => k.Key.Id));
        if (signature != _signature)
        {
            _signature = signature;
            LogLoaded(logger, loaded.Count);
            foreach (var source in new[] { Interlocked.Exchange(ref _changed, new CancellationTokenSource()), Interlocked.Exchange(ref _validationChanged, new CancellationTokenSource()) })
            {
                await source.CancelAsync();
                source.Dispose();
            }
        }
    }

    /// <summary>The keys this instance can read, and the highest generation stored per use (readable or not).</summary>
    private async Task<(List<LoadedKey> Keys, Dictionary<ServerKeyUse, int> Generations)> LoadAsync(KryptosDbContext db, CancellationToken cancellationToken)
    {
        var loaded = new List<LoadedKey>();
        var stored = await db.ServerKeys.AsNoTracking().ToListAsync(cancellationToken);
        var generations = stored.GroupBy(k => k.Use).ToDictionary(g => g.Key, g => g.Max(k => k.Generation));
        foreach (var key in stored)
        {
            try
            {
                var material = _protector.Unprotect(Convert.FromBase64String(key.ProtectedKey));
                SecurityKey securityKey;
                if (IsSecret(key.Use))
                {
                    securityKey = new SymmetricSecurityKey(material);
                }
                else
                {
                    var rsa = RSA.Create();
                    rsa.ImportPkcs8PrivateKey(material, out _);
                    securityKey = new RsaSecurityKey(rsa);
                }

                securityKey.KeyId = key.Id.ToString("N");
                loaded.Add(new LoadedKey(key, securityKey));
            }
            catch (CryptographicException e)
            {
                // Protected with a Data Protection key this instance does not have.
                LogUnreadable(logger, key.Id, e);
            }
        }

        return (loaded, generations);
    }

    /// <summary>Keys to offer for a use: the current one first, then those published ahead, then retired ones.</summary>
    private IEnumerable<LoadedKey> Ordered(ServerKeyUse use, DateTimeOffset now) =>
        _keys.Where(k => k.Key.Use == use && k.Key.ExpiresAt > now && k.Key.ActivatesAt - options.Value.PublishAhead <= now)
            .OrderByDescending(k => IsCurrent(k.Key, now))
            .ThenByDescending(k => k.Key.ActivatesAt);

    private static bool IsCurrent(ServerKey key, DateTimeOffset now) => key.ActivatesAt <= now && now < key.RetiresAt;

    private async Task<bool> TryAddAsync(KryptosDbContext db, ServerKeyUse use, int generation, DateTimeOffset activatesAt, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var key = new ServerKey
        {
            Use = use,
            Generation = generation,
            ProtectedKey = Convert.ToBase64String(_protector.Protect(NewKeyMaterial(use, settings))),
            CreatedAt = time.GetUtcNow(),
            ActivatesAt = activatesAt,
            RetiresAt = activatesAt + settings.RotationPeriod,
            ExpiresAt = activatesAt + settings.RotationPeriod + settings.RetainAfterRetirement,
        };
        db.ServerKeys.Add(key);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
            return true;
        }
        catch (DbUpdateException)
        {
            // Another instance added this generation first (unique Use + Generation): use theirs,
            // which the reload after this loop reads.
            db.Entry(key).State = EntityState.Detached;
            return true;
        }
    }

    private static bool IsSecret(ServerKeyUse use) => use is ServerKeyUse.SigningSecret or ServerKeyUse.EncryptionSecret;

    /// <summary>32 random bytes for a secret (HS256 and A256KW both take 256 bits), else a new RSA key as PKCS#8.</summary>
    private static byte[] NewKeyMaterial(ServerKeyUse use, ServerKeyOptions settings)
    {
        if (IsSecret(use))
        {
            return RandomNumberGenerator.GetBytes(32);
        }

        using var rsa = RSA.Create(settings.RsaKeySize);
        return rsa.ExportPkcs8PrivateKey();
    }

    public void Dispose()
    {
        _changed.Dispose();
        _validationChanged.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Authorization server key {KeyId} cannot be decrypted with this instance's Data Protection keys; it is ignored")]
    private static partial void LogUnreadable(ILogger logger, Guid keyId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Loaded {Count} authorization server key(s)")]
    private static partial void LogLoaded(ILogger logger, int count);

    public sealed record LoadedKey(ServerKey Key, SecurityKey SecurityKey);
}

/// <summary>Loads the key ring before the host listens, then refreshes it on every instance on a schedule.</summary>
internal sealed partial class ServerKeyRingRefresher(
    ServerKeyRing ring, IOptions<ServerKeyOptions> options, TimeProvider time, ILogger<ServerKeyRingRefresher> logger) : BackgroundService
{
    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the authorization server keys failed")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await ring.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RefreshInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await ring.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Keep serving with the keys already loaded; the next tick tries again.
                LogRefreshFailed(logger, e);
            }
        }
    }
}
