using System.Diagnostics;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Portfolio.Prices;

/// <summary>
/// The CoinGecko-style adapter inside the product's <see cref="IPriceSource"/>, against a fake API on
/// a real loopback port: its answers are used and cached, and a failing, slow or absurd API falls back
/// to the next source without an error.
/// </summary>
public sealed class PriceApiTests
{
    private static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    private static readonly DateOnly PastDay = new(2024, 6, 15);

    [Fact]
    public async Task TodaysPrice_ComesFromSimplePrice_AndIsCached()
    {
        await using var api = await FakePriceApi.StartAsync();
        api.Current["bitcoin"] = new() { ["usd"] = "50123.45", ["eur"] = "46000.5" };
        api.Current["solana"] = new() { ["usd"] = "150.25" };
        await using var factory = new PriceApiFactory(api.BaseUrl);
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var closes = await prices.GetClosesAsync(Guid.NewGuid(), ["BTC", "SOL"], "USD", Today);
        var again = await prices.GetClosesAsync(Guid.NewGuid(), ["BTC", "SOL"], "USD", Today);

        Assert.Equal(new PricePoint("BTC", Today, 50_123.45m, "USD", "api"), closes["BTC"]);
        Assert.Equal(150.25m, closes["SOL"].Close);
        Assert.Equal(closes["BTC"], again["BTC"]);
        var request = Assert.Single(api.Requests); // the second call was served from the cache
        Assert.Equal("/api/v3/simple/price?ids=bitcoin%2Csolana&vs_currencies=usd", request);
    }

    [Fact]
    public async Task APastDay_ComesFromCoinHistory()
    {
        await using var api = await FakePriceApi.StartAsync();
        api.History["ethereum|15-06-2024"] = new() { ["eur"] = "3271.125" };
        await using var factory = new PriceApiFactory(api.BaseUrl);
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var closes = await prices.GetClosesAsync(Guid.NewGuid(), ["ETH"], "EUR", PastDay);

        Assert.Equal(new PricePoint("ETH", PastDay, 3_271.125m, "EUR", "api"), closes["ETH"]);
        Assert.Equal("/api/v3/coins/ethereum/history?date=15-06-2024&localization=false", Assert.Single(api.Requests));
    }

    [Fact]
    public async Task AnAssetTheApiDoesNotPrice_FallsBackToTheDemoSnapshot()
    {
        await using var api = await FakePriceApi.StartAsync();
        await using var factory = new PriceApiFactory(api.BaseUrl);
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        // The fake has no history for that day: no market_data, as CoinGecko answers before a coin existed.
        var closes = await prices.GetClosesAsync(Guid.NewGuid(), ["ETH"], "USD", PastDay);

        Assert.Equal(DemoPrices.Close("ETH", "USD", PastDay), closes["ETH"]);
        Assert.Equal("demo", closes["ETH"].Source);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(429)]
    [InlineData(404)]
    public async Task AnErrorStatus_FallsBackToTheDemoSnapshot_AndBacksOff(int status)
    {
        await using var api = await FakePriceApi.StartAsync();
        api.Current["bitcoin"] = new() { ["usd"] = "50000" };
        api.FailWith = status;
        await using var factory = new PriceApiFactory(api.BaseUrl);
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var first = await prices.GetClosesAsync(Guid.NewGuid(), ["BTC"], "USD", Today);
        api.FailWith = null;
        var second = await prices.GetClosesAsync(Guid.NewGuid(), ["BTC"], "USD", Today);

        Assert.Equal("demo", first["BTC"].Source);
        Assert.Equal("demo", second["BTC"].Source); // within the back-off the API is not asked again
        Assert.Single(api.Requests);
        Assert.Contains("The price API failed", factory.Logs.Messages.Last(m => m.Contains("price API", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASlowApi_TimesOut_AndTheDemoSnapshotAnswers()
    {
        await using var api = await FakePriceApi.StartAsync();
        api.Current["bitcoin"] = new() { ["usd"] = "50000" };
        api.Delay = TimeSpan.FromSeconds(10);
        await using var factory = new PriceApiFactory(api.BaseUrl, timeout: "00:00:00.300");
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var watch = Stopwatch.StartNew();
        var closes = await prices.GetClosesAsync(Guid.NewGuid(), ["BTC"], "USD", Today);

        Assert.Equal("demo", closes["BTC"].Source);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"The timeout of 300 ms took {watch.Elapsed}.");
    }

    [Fact]
    public async Task AnAbsurdAnswer_IsIgnored_AndTheDemoSnapshotAnswers()
    {
        // One host for every body: each is asked in its own currency, so no answer is served from
        // another's cache, and the back-off is off.
        string[] bodies =
        [
            """{"bitcoin":{"VS":-5}}""",
            """{"bitcoin":{"VS":0}}""",
            """{"bitcoin":{"VS":"50000"}}""",
            """{"bitcoin":{"VS":1e400}}""",
            """{"bitcoin":{"VS":99999999999999999}}""",
            """{"bitcoin":[1,2]}""",
            """[]""",
            """not json at all""",
            """{"bitcoin":{"VS":5""",
        ];
        string[] currencies = ["USD", "EUR", "GBP", "CHF", "JPY", "CAD", "AUD", "NZD", "SEK"];
        await using var api = await FakePriceApi.StartAsync();
        await using var factory = new PriceApiFactory(api.BaseUrl, backoff: "00:00:00");
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        for (var i = 0; i < bodies.Length; i++)
        {
            api.RawBody = bodies[i].Replace("VS", currencies[i].ToLowerInvariant(), StringComparison.Ordinal);
            var closes = await prices.GetClosesAsync(Guid.NewGuid(), ["BTC"], currencies[i], Today);

            Assert.True(closes["BTC"].Source == "demo", api.RawBody);
            Assert.Equal(DemoPrices.Close("BTC", currencies[i], Today)!.Close, closes["BTC"].Close);
        }

        Assert.Equal(bodies.Length, api.Requests.Count);
    }

    [Fact]
    public async Task AnUnreachableApi_FallsBackToTheDemoSnapshot()
    {
        Uri closed;
        await using (var api = await FakePriceApi.StartAsync())
        {
            closed = api.BaseUrl;
        }

        await using var factory = new PriceApiFactory(closed);
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var closes = await prices.GetClosesAsync(Guid.NewGuid(), ["BTC", "NOPE"], "USD", Today);

        Assert.Equal("demo", closes["BTC"].Source);
        Assert.False(closes.ContainsKey("NOPE"));
    }

    [Fact]
    public async Task TheApiKey_IsSentAsCoinGeckosHeader_AndNeverLogged()
    {
        await using var api = await FakePriceApi.StartAsync();
        api.FailWith = 401;
        await using var factory = new PriceApiFactory(api.BaseUrl, apiKey: "cg-secret-key-123");
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        await prices.GetClosesAsync(Guid.NewGuid(), ["BTC"], "USD", Today);

        Assert.Equal("cg-secret-key-123", Assert.Single(api.ApiKeys));
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains("cg-secret-key-123", StringComparison.Ordinal));
    }

    /// <summary>The host with the price API pointed at the fake.</summary>
    private sealed class PriceApiFactory : KryptosFactory
    {
        public PriceApiFactory(Uri baseUrl, string timeout = "00:00:05", string? apiKey = null, string backoff = "00:10:00")
        {
            Settings["Prices:Api:BaseUrl"] = baseUrl.ToString();
            Settings["Prices:Api:Timeout"] = timeout;
            Settings["Prices:Api:FailureBackoff"] = backoff;
            Settings["Prices:Api:ApiKey"] = apiKey;
        }
    }
}
