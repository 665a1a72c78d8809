using System.Buffers.Text;
using System.Text.RegularExpressions;
using Kryptos.Connect.Hosting;

namespace Kryptos.UnitTests.Hosting;

public sealed partial class SecureTokensTests
{
    [Fact]
    public void Token_CarriesThirtyTwoRandomBytesAsUrlSafeBase64()
    {
        var token = SecureTokens.Create();

        Assert.Equal(43, token.Length);
        Assert.Matches(UrlSafe(), token);
        Assert.Equal(32, Base64Url.DecodeFromChars(token).Length);
    }

    [Theory]
    [InlineData(16, 22)]
    [InlineData(32, 43)]
    [InlineData(64, 86)]
    public void Token_LengthFollowsTheRequestedBytes(int bytes, int characters)
    {
        var token = SecureTokens.Create(bytes);

        Assert.Equal(characters, token.Length);
        Assert.Equal(bytes, Base64Url.DecodeFromChars(token).Length);
    }

    [Fact]
    public void Tokens_AreUnique()
    {
        var tokens = Enumerable.Range(0, 10_000).Select(_ => SecureTokens.Create()).ToList();

        Assert.Equal(tokens.Count, tokens.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void TokenBytes_AreSpreadEvenlyOverAllByteValues()
    {
        // 2,000 tokens give 64,000 bytes: 250 expected per value, with a standard deviation near 16.
        var counts = new int[256];
        for (var i = 0; i < 2_000; i++)
        {
            foreach (var b in Base64Url.DecodeFromChars(SecureTokens.Create()))
            {
                counts[b]++;
            }
        }

        Assert.All(counts, count => Assert.InRange(count, 150, 350));
    }

    [Fact]
    public void Hash_IsSixtyFourLowerCaseHexCharactersOfSha256()
    {
        Assert.Equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", SecureTokens.Hash("abc"));
        var token = SecureTokens.Create();
        var hash = SecureTokens.Hash(token);
        Assert.Matches(LowerHex(), hash);
        Assert.DoesNotContain(token, hash, StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_IsDeterministicAndDiffersForDifferentTokens()
    {
        var token = SecureTokens.Create();

        Assert.Equal(SecureTokens.Hash(token), SecureTokens.Hash(token));
        Assert.NotEqual(SecureTokens.Hash(token), SecureTokens.Hash(SecureTokens.Create()));
        Assert.NotEqual(SecureTokens.Hash(token), SecureTokens.Hash(token.ToUpperInvariant()));
    }

    [GeneratedRegex("^[A-Za-z0-9_-]+$")]
    private static partial Regex UrlSafe();

    [GeneratedRegex("^[0-9a-f]{64}$")]
    private static partial Regex LowerHex();
}
