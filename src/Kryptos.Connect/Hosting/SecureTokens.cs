using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// High-entropy bearer tokens (invitation links, later client secrets and API keys) and the hash
/// that is stored in their place. SHA-256 suffices because the tokens carry 256 random bits: there
/// is nothing to brute-force, unlike a password.
/// </summary>
public static class SecureTokens
{
    public static string Create(int bytes = 32) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(bytes));

    /// <summary>An unguessable identifier (130 bits) in lowercase base32, readable and URL-safe.</summary>
    public static string CreateIdentifier()
    {
        const string alphabet = "abcdefghijklmnopqrstuvwxyz234567";
        var bytes = RandomNumberGenerator.GetBytes(26);
        return string.Create(26, bytes, (chars, random) =>
        {
            for (var i = 0; i < chars.Length; i++)
            {
                chars[i] = alphabet[random[i] & 31];
            }
        });
    }

    public static string Hash(string token) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
