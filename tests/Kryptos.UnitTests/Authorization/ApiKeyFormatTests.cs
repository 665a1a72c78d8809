using System.Net;
using Kryptos.Connect.Authorization.ApiKeys;

namespace Kryptos.UnitTests.Authorization;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void ANewKey_IsWellFormed_AndUnique()
    {
        var keys = Enumerable.Range(0, 200).Select(_ => ApiKeyFormat.Create()).ToList();

        Assert.All(keys, key =>
        {
            Assert.StartsWith("kryptos_live_", key, StringComparison.Ordinal);
            // 13 + 43 + 6 = 62.
            Assert.Equal(62, key.Length);
            Assert.True(ApiKeyFormat.IsWellFormed(key), key);
            Assert.DoesNotContain('_', key[13..]);
        });
        Assert.Equal(keys.Count, keys.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void TheChecksum_IsCrc32OfTheBody_InBase62()
    {
        // CRC32("123456789") = 0xCBF43926 = 3421780262 (the standard check value);
        // 3421780262 = 3·62^5 + 45·62^4 + 35·62^3 + 27·62^2 + 22·62 + 14; digits 3 j Z R M E (0-9, A-Z = 10-35, a-z = 36-61).
        Assert.Equal("3jZRME", ApiKeyFormat.Checksum("123456789"));
    }

    [Fact]
    public void OneChangedCharacter_FailsTheChecksum()
    {
        var key = ApiKeyFormat.Create();
        for (var i = ApiKeyFormat.Prefix.Length; i < key.Length; i++)
        {
            var chars = key.ToCharArray();
            chars[i] = chars[i] == 'a' ? 'b' : 'a';
            Assert.False(ApiKeyFormat.IsWellFormed(new string(chars)), $"Changed at {i}");
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("kryptos_live_")]
    [InlineData("kryptos_test_")]
    [InlineData("KRYPTOS_LIVE_")]
    public void AWrongPrefix_IsNotAKey(string prefix)
    {
        var key = ApiKeyFormat.Create();
        var other = prefix + key[ApiKeyFormat.Prefix.Length..];

        Assert.Equal(prefix == "kryptos_live_", ApiKeyFormat.IsWellFormed(other));
    }

    [Fact]
    public void WrongLengthsAndCharacters_AreNotKeys()
    {
        var key = ApiKeyFormat.Create();

        Assert.False(ApiKeyFormat.IsWellFormed(key.AsSpan(0, key.Length - 1)));
        Assert.False(ApiKeyFormat.IsWellFormed(key + "a"));
        Assert.False(ApiKeyFormat.IsWellFormed(key + "\0"));
        Assert.False(ApiKeyFormat.IsWellFormed(key[..20] + "\0" + key[21..]));
        Assert.False(ApiKeyFormat.IsWellFormed(key[..20] + "-" + key[21..]));
        Assert.False(ApiKeyFormat.IsWellFormed(" " + key[1..]));
        Assert.False(ApiKeyFormat.IsWellFormed(new string('a', 10_000)));
        Assert.False(ApiKeyFormat.IsWellFormed(null));
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("10.1.2.3/8", "10.0.0.0/8")]
    [InlineData("2001:DB8::1/32", "2001:db8::/32")]
    [InlineData("::1", "::1")]
    [InlineData("0.0.0.0/0", "0.0.0.0/0")]
    public void Networks_AreNormalised(string entry, string stored)
    {
        var (networks, error) = ApiKeyNetworks.Parse(entry);

        Assert.Null(error);
        Assert.Equal(stored, ApiKeyNetworks.Format(networks!));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("999.1.1.1")]
    [InlineData("10.1")]
    [InlineData("0x0a.0.0.1")]
    [InlineData("10.0.0.0/")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("::1/129")]
    [InlineData("fe80::1%eth0")]
    [InlineData("10.0.0.1\0")]
    [InlineData("example.com")]
    public void BadNetworks_AreRefusedWithAMessage(string entry)
    {
        var (networks, error) = ApiKeyNetworks.Parse(entry);

        Assert.Null(networks);
        Assert.False(string.IsNullOrEmpty(error));
        Assert.DoesNotContain('\0', error);
    }

    [Fact]
    public void AtMostTwentyNetworks()
    {
        Assert.Null(ApiKeyNetworks.Parse(string.Join('\n', Enumerable.Range(1, 20).Select(i => $"10.0.0.{i}"))).Error);
        Assert.NotNull(ApiKeyNetworks.Parse(string.Join('\n', Enumerable.Range(1, 21).Select(i => $"10.0.0.{i}"))).Error);
    }

    [Fact]
    public void Allows_MatchesRangesAndMappedAddresses()
    {
        var networks = ApiKeyNetworks.Parse("10.0.0.0/8 2001:db8::/32").Networks!;

        Assert.True(ApiKeyNetworks.Allows(networks, IPAddress.Parse("10.200.3.4")));
        Assert.True(ApiKeyNetworks.Allows(networks, IPAddress.Parse("::ffff:10.1.1.1")));
        Assert.True(ApiKeyNetworks.Allows(networks, IPAddress.Parse("2001:db8:1::5")));
        Assert.False(ApiKeyNetworks.Allows(networks, IPAddress.Parse("11.0.0.1")));
        Assert.False(ApiKeyNetworks.Allows(networks, IPAddress.Parse("2001:db9::1")));
        Assert.False(ApiKeyNetworks.Allows(networks, null));
    }
}
