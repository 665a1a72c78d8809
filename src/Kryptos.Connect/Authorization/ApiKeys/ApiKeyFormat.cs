using System.Security.Cryptography;

namespace Kryptos.Connect.Authorization.ApiKeys;

/// <summary>
/// The shape of a workspace API key: <c>kryptos_live_</c>, a 43-character base62 body (256 random
/// bits) and a 6-character base62 CRC32 of the body. GitHub's token format is the model: the prefix
/// lets secret scanners find keys in code, and the checksum lets anyone (scanners, our own API) tell
/// a real key from a typo or a random string offline, without the database.
/// </summary>
/// <remarks>The checksum is not a secret and proves nothing about authenticity; only the stored hash does.</remarks>
public static class ApiKeyFormat
{
    public const string Prefix = "kryptos_live_";

    /// <summary>Characters of the random body: 43 × log2(62) ≈ 256 bits.</summary>
    public const int BodyLength = 43;

    public const int ChecksumLength = 6;

    /// <summary>The whole key's length: 13 + 43 + 6 = 62.</summary>
    public const int Length = 62;

    /// <summary>How many characters of the key (prefix and the body's first four) the portal shows.</summary>
    public const int DisplayPrefixLength = 17;

    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly uint[] CrcTable = BuildCrcTable();

    /// <summary>A new key from the system's cryptographic random number generator.</summary>
    public static string Create()
    {
        var body = RandomNumberGenerator.GetString(Alphabet, BodyLength);
        return Prefix + body + Checksum(body);
    }

    /// <summary>Whether <paramref name="key"/> has the prefix, the length, only base62 characters and a matching checksum.</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> key)
    {
        if (key.Length != Length || !key.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = key[Prefix.Length..];
        foreach (var c in rest)
        {
            if (!IsBase62(c))
            {
                return false;
            }
        }

        return rest[BodyLength..].SequenceEqual(Checksum(rest[..BodyLength]));
    }

    /// <summary>The CRC32 (IEEE) of the body's ASCII characters, in base62, left-padded with zeros to six characters.</summary>
    public static string Checksum(ReadOnlySpan<char> body)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var c in body)
        {
            crc = CrcTable[(crc ^ (byte)c) & 0xFF] ^ (crc >> 8);
        }

        ulong value = ~crc;
        // 62^6 ≈ 5.7e10 > 2^32: six characters hold every CRC32.
        return string.Create(ChecksumLength, value, (chars, v) =>
        {
            for (var i = chars.Length - 1; i >= 0; i--)
            {
                chars[i] = Alphabet[(int)(v % 62)];
                v /= 62;
            }
        });
    }

    private static bool IsBase62(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z');

    private static uint[] BuildCrcTable()
    {
        var table = new uint[256];
        for (var n = 0u; n < 256; n++)
        {
            var c = n;
            for (var k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            }

            table[n] = c;
        }

        return table;
    }
}
