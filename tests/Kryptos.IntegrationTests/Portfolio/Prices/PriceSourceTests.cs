using Kryptos.Connect.Portfolio.Prices;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Portfolio.Prices;

/// <summary>How the product's price source combines a workspace's imported closes with the demo snapshot.</summary>
public sealed class PriceSourceTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private static readonly DateOnly Day = new(2025, 3, 10);

    [Fact]
    public async Task AnImportedClose_WinsOnItsDay_AndOnlyInItsWorkspace()
    {
        var mine = await WorkspaceAsync();
        var other = await WorkspaceAsync();
        await ImportAsync(mine, "BTC", Day, 12_345.6789m, "USD");
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var closes = await prices.GetClosesAsync(mine, ["BTC", "ETH"], "USD", Day);
        var others = await prices.GetClosesAsync(other, ["BTC"], "USD", Day);

        Assert.Equal(new PricePoint("BTC", Day, 12_345.6789m, "USD", "import"), closes["BTC"]);
        Assert.Equal("demo", closes["ETH"].Source);
        Assert.Equal("demo", others["BTC"].Source);
    }

    [Fact]
    public async Task AFresherDemoClose_BeatsAnOlderImport_ButAnImportBeatsNothing()
    {
        var workspace = await WorkspaceAsync();
        await ImportAsync(workspace, "BTC", Day, 1m, "USD");
        await ImportAsync(workspace, "FOO", Day, 2.5m, "USD");
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var closes = await prices.GetClosesAsync(workspace, ["btc", "FOO"], "USD", Day.AddDays(3));

        Assert.Equal(DemoPrices.Close("BTC", "USD", Day.AddDays(3)), closes["BTC"]);
        // The demo snapshot does not know FOO: the latest import before the day answers.
        Assert.Equal(new PricePoint("FOO", Day, 2.5m, "USD", "import"), closes["FOO"]);
    }

    [Fact]
    public async Task AnImportInAnotherCurrency_IsNotUsed()
    {
        var workspace = await WorkspaceAsync();
        await ImportAsync(workspace, "FOO", Day, 2.5m, "EUR");
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var closes = await prices.GetClosesAsync(workspace, ["FOO"], "USD", Day);

        Assert.Empty(closes);
    }

    [Fact]
    public async Task WithoutAnApi_TheDemoSnapshotAnswers_AndUnknownAssetsAreLeftOut()
    {
        var prices = factory.Services.GetRequiredService<IPriceSource>();

        var closes = await prices.GetClosesAsync(Guid.NewGuid(), ["SOL", "NOPE"], "EUR", Day);

        Assert.Equal(DemoPrices.Close("SOL", "EUR", Day), Assert.Single(closes).Value);
    }

    private async Task<Guid> WorkspaceAsync()
    {
        var (user, client) = await factory.SignedInUserAsync();
        client.Dispose();
        return await factory.PersonalWorkspaceIdAsync(user);
    }

    private Task<int> ImportAsync(Guid workspaceId, string asset, DateOnly date, decimal close, string currency) =>
        factory.WithDbAsync(async db =>
        {
            db.PriceQuotes.Add(new PriceQuote { WorkspaceId = workspaceId, Asset = asset, Date = date, Close = close, Currency = currency });
            return await db.SaveChangesAsync();
        });
}
