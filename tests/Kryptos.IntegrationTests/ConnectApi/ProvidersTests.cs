using System.Net;
using System.Text.Json;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>The provider catalogue is public, paged like every list, and filtered by kind.</summary>
public sealed class ProvidersTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task TheCatalogue_IsPublic_AndListsExchangesWalletsAndChains()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/providers", accessToken: null);

        var json = await JsonAsync(response);
        var providers = json.GetProperty("data").EnumerateArray().ToList();
        // The bundled catalogue: 7 chains, 7 exchanges, 5 wallets and the CSV source = 20.
        Assert.Equal(20, providers.Count);
        AssertPagination(json, limit: 50, offset: 0, total: 20, hasMore: false);
        var kraken = providers.Single(p => p.GetProperty("id").GetString() == "kraken");
        Assert.Equal("Kraken", kraken.GetProperty("name").GetString());
        Assert.Equal("exchange", kraken.GetProperty("kind").GetString());
        Assert.Equal("https://www.kraken.com", kraken.GetProperty("website").GetString());
        var ethereum = providers.Single(p => p.GetProperty("id").GetString() == "ethereum");
        Assert.Equal("ETH", ethereum.GetProperty("nativeAsset").GetString());
    }

    [Fact]
    public async Task AKindFilter_AndPaging_Combine()
    {
        using var http = factory.Backchannel();

        // 7 chains; the page from offset 5 holds the last 2.
        using var response = await http.GetApiAsync("/v1/providers?kind=chain&limit=5&offset=5", accessToken: null);

        var json = await JsonAsync(response);
        Assert.Equal(2, json.GetProperty("data").GetArrayLength());
        Assert.All(json.GetProperty("data").EnumerateArray(), p => Assert.Equal("chain", p.GetProperty("kind").GetString()));
        AssertPagination(json, limit: 5, offset: 5, total: 7, hasMore: false);
    }

    [Fact]
    public async Task APageBeforeTheEnd_HasMore_AndAnOffsetPastTheEnd_IsEmpty()
    {
        using var http = factory.Backchannel();

        using (var first = await http.GetApiAsync("/v1/providers?limit=1", accessToken: null))
        {
            var json = await JsonAsync(first);
            Assert.Equal("bitcoin", json.GetProperty("data")[0].GetProperty("id").GetString());
            AssertPagination(json, limit: 1, offset: 0, total: 20, hasMore: true);
        }

        using var past = await http.GetApiAsync("/v1/providers?offset=1000", accessToken: null);
        var empty = await JsonAsync(past);
        Assert.Equal(0, empty.GetProperty("data").GetArrayLength());
        AssertPagination(empty, limit: 50, offset: 1000, total: 20, hasMore: false);
    }

    [Theory]
    [InlineData("?limit=0", "invalid_limit")]
    [InlineData("?limit=201", "invalid_limit")]
    [InlineData("?limit=ten", "invalid_limit")]
    [InlineData("?limit=%00", "invalid_request")]
    [InlineData("?limit=1&limit=2", "invalid_limit")]
    [InlineData("?offset=-1", "invalid_offset")]
    [InlineData("?offset=99999999999999999999", "invalid_offset")]
    [InlineData("?kind=bank", "invalid_kind")]
    [InlineData("?kind=Exchange", "invalid_kind")]
    public async Task BadQueryValues_Are400Problems(string query, string code)
    {
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/providers" + query, accessToken: null);

        await ProblemAsync(response, HttpStatusCode.BadRequest, code);
    }

    [Fact]
    public async Task AGarbageToken_OnAPublicResource_IsIgnored()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/providers", "garbage");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static void AssertPagination(JsonElement json, int limit, int offset, int total, bool hasMore)
    {
        var pagination = json.GetProperty("pagination");
        Assert.Equal(limit, pagination.GetProperty("limit").GetInt32());
        Assert.Equal(offset, pagination.GetProperty("offset").GetInt32());
        Assert.Equal(total, pagination.GetProperty("total").GetInt32());
        Assert.Equal(hasMore, pagination.GetProperty("hasMore").GetBoolean());
    }
}
