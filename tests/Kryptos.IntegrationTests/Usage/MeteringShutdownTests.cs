using System.Net;
using Kryptos.IntegrationTests.ConnectApi;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Usage;

/// <summary>A graceful shutdown writes what the metering buffer still holds.</summary>
public sealed class MeteringShutdownTests
{
    [Fact]
    public async Task StoppingTheHost_WritesTheBufferedRecords()
    {
        var factory = new SlowFlushFactory { DeleteRootOnDispose = false };
        var root = factory.Root;
        string clientId;
        try
        {
            var app = await factory.ConnectAppAsync("openid users:read");
            clientId = app.Client.ClientId;
            using var http = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
            for (var i = 0; i < 4; i++)
            {
                using var response = await http.GetApiAsync("/v1/users/me", app.AccessToken);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }

            // The writer waits ten minutes for a batch to fill: nothing is stored yet.
            Assert.Equal(0, await CountAsync(factory.Root, clientId));
        }
        finally
        {
            await factory.DisposeAsync();
        }

        try
        {
            Assert.Equal(4, await CountAsync(root, clientId));
        }
        finally
        {
            await TestDatabase.DropAsync(root);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<long> CountAsync(string root, string clientId)
    {
        return await TestDatabase.CountAsync(root, "SELECT COUNT(*) FROM \"UsageRecords\" WHERE \"ClientId\" = @p0", clientId);
    }

    private sealed class SlowFlushFactory : KryptosFactory
    {
        public SlowFlushFactory()
        {
            Settings["Usage:Metering:FlushInterval"] = "00:10:00";
        }
    }
}
