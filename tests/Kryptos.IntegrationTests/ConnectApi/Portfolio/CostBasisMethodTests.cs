using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi.Portfolio;

/// <summary>Changing the workspace's cost-basis method recomputes what /v1 answers (numbers in <see cref="HandCheckedBooks"/>).</summary>
public sealed class CostBasisMethodTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task SwitchingToHifo_ChangesGainsAndHoldings()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        var books = await HandCheckedBooks.WriteAsync(factory, await http.GrantedWorkspaceAsync(app.AccessToken));
        using (var fifo = await http.GetApiAsync("/v1/tax/2025/summary", app.AccessToken))
        {
            Assert.Equal(34_855m, (await JsonAsync(fifo)).GetProperty("data").Dec("realizedGain"));
        }

        await HandCheckedBooks.SetMethodAsync(factory, books.WorkspaceId, CostBasisMethod.Hifo);

        using var summary = await http.GetApiAsync("/v1/tax/2025/summary", app.AccessToken);
        var data = (await JsonAsync(summary)).GetProperty("data");
        Assert.Equal("HIFO", data.GetProperty("costBasisMethod").GetString());
        Assert.Equal(9_915m, data.Dec("shortTermGain"));
        Assert.Equal(14_955m, data.Dec("longTermGain"));
        Assert.Equal(24_870m, data.Dec("realizedGain"));
        Assert.Equal(65_115m, data.Dec("costBasis"));

        // What is left is half of the cheaper January lot: 0.5 BTC at a cost of 15,015.
        using var holdings = await http.GetApiAsync("/v1/holdings", app.AccessToken);
        var btc = (await JsonAsync(holdings)).GetProperty("data")[0];
        Assert.Equal(0.5m, btc.Dec("quantity"));
        Assert.Equal(15_015m, btc.Dec("costBasis"));
        Assert.Equal(24_985m, btc.Dec("unrealizedPnl"));
    }
}
