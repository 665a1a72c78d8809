using System.Buffers.Binary;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Stored passwords: Identity V3 format, PBKDF2-HMAC-SHA512, at least 210,000 iterations (OWASP).</summary>
public sealed class PasswordHashTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const byte FormatMarkerV3 = 0x01;
    private const uint HmacSha512 = 2; // KeyDerivationPrf.HMACSHA512

    [Fact]
    public async Task StoredHash_IsIdentityV3WithHmacSha512AndAtLeast210000Iterations()
    {
        var user = await factory.SignUpAsync();

        var stored = (await factory.UserAsync(user.Email)).PasswordHash;

        AssertStrongHash(stored, user.Password);
    }

    [Fact]
    public async Task HashAfterAPasswordChange_IsJustAsStrong()
    {
        var (user, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var response = await client.SubmitSettingsAsync("Password", new Dictionary<string, string>
            {
                ["Password.CurrentPassword"] = user.Password,
                ["Password.NewPassword"] = "a changed passphrase",
            });
            Assert.Equal(System.Net.HttpStatusCode.Redirect, response.StatusCode);

            AssertStrongHash((await factory.UserAsync(user.Email)).PasswordHash, "a changed passphrase");
        }
    }

    private static void AssertStrongHash(string? stored, string password)
    {
        Assert.NotNull(stored);
        Assert.DoesNotContain(password, stored, StringComparison.Ordinal);
        var bytes = Convert.FromBase64String(stored);
        Assert.Equal(FormatMarkerV3, bytes[0]);
        var prf = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1, 4));
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5, 4));
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9, 4));
        Assert.Equal(HmacSha512, prf);
        Assert.True(iterations >= 210_000, $"The hash uses {iterations} iterations.");
        Assert.True(saltLength >= 16, $"The salt is {saltLength} bytes.");
        var subkeyLength = bytes.Length - 13 - saltLength;
        Assert.True(subkeyLength >= 32, $"The derived key is {subkeyLength} bytes.");
    }
}
