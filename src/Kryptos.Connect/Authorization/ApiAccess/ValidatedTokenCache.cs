using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Authorization.ApiAccess;

/// <summary>The SHA-256 of an access token: the cache's key, so the cache never holds a usable token.</summary>
public readonly record struct TokenHash(ulong A, ulong B, ulong C, ulong D)
{
    /// <summary>Tokens are base64url text; a longer one than this is refused before it is hashed.</summary>
    public const int MaxTokenLength = 16 * 1024;

    public static TokenHash Of(ReadOnlySpan<char> token)
    {
        var length = Encoding.UTF8.GetMaxByteCount(token.Length);
        var rented = length > 4096 ? ArrayPool<byte>.Shared.Rent(length) : null;
        try
        {
            Span<byte> bytes = rented ?? stackalloc byte[length];
            var written = Encoding.UTF8.GetBytes(token, bytes);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes[..written], hash);
            var words = MemoryMarshal.Cast<byte, ulong>(hash);
            return new TokenHash(words[0], words[1], words[2], words[3]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }
}

/// <summary>
/// Access tokens that passed OpenIddict's validation (signature, issuer, audience, type, lifetime),
/// remembered by hash until they expire, so a repeated token costs a hash and a dictionary lookup
/// instead of an RSA signature check. Only validated tokens get in, so garbage cannot fill it; it holds
/// at most <see cref="ApiAccessOptions.ValidatedTokenCacheSize"/> entries.
/// </summary>
/// <remarks>
/// A hit is not the whole check: revocation is asked of <see cref="RevocationView"/> on every request,
/// and an entry is never served at or after its token's <c>exp</c>.
/// </remarks>
public sealed class ValidatedTokenCache(IOptions<ApiAccessOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<TokenHash, ApiCaller> _entries = new();
    private readonly Lock _trimming = new();

    public int Count => _entries.Count;

    public bool TryGet(TokenHash hash, out ApiCaller caller)
    {
        if (_entries.TryGetValue(hash, out var found))
        {
            if (found.ExpiresAt > time.GetUtcNow())
            {
                caller = found;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<TokenHash, ApiCaller>(hash, found));
        }

        caller = null!;
        return false;
    }

    public void Add(TokenHash hash, ApiCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (_entries.Count >= options.Value.ValidatedTokenCacheSize)
        {
            Trim();
        }

        _entries[hash] = caller;
    }

    public void Remove(TokenHash hash) => _entries.TryRemove(hash, out _);

    /// <summary>Drops expired entries, then, if still full, the quarter that expires soonest.</summary>
    private void Trim()
    {
        lock (_trimming)
        {
            var limit = options.Value.ValidatedTokenCacheSize;
            if (_entries.Count < limit)
            {
                return;
            }

            var now = time.GetUtcNow();
            foreach (var entry in _entries.Where(e => e.Value.ExpiresAt <= now))
            {
                _entries.TryRemove(entry);
            }

            var excess = _entries.Count - (limit * 3 / 4);
            if (excess > 0)
            {
                foreach (var entry in _entries.OrderBy(e => e.Value.ExpiresAt).Take(excess).ToList())
                {
                    _entries.TryRemove(entry);
                }
            }
        }
    }
}
