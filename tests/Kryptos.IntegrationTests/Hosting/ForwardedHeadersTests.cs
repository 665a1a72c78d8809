using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>Behind a trusted proxy the client's address comes from X-Forwarded-For; from anyone else the header is ignored.</summary>
public sealed class ForwardedHeadersTests
{
    /// <summary>Every request arrives from 10.1.2.3, as if through a proxy on the private network.</summary>
    public class ProxiedFactory : ClientAddressFactory
    {
        public static readonly IPAddress Proxy = IPAddress.Parse("10.1.2.3");

        protected override IPAddress DefaultAddress => Proxy;
    }

    public sealed class TrustedProxyFactory : ProxiedFactory
    {
        public TrustedProxyFactory() => Settings["Hosting:TrustedProxies:0"] = "10.0.0.0/8";
    }

    public sealed class Trusted(TrustedProxyFactory factory) : IClassFixture<TrustedProxyFactory>
    {
        [Fact]
        public async Task ATrustedProxysForwardedFor_IsTheAddressInTheAuditLog()
        {
            var ip = await AuditedAddressAsync(factory);

            Assert.Equal("198.51.100.9", ip);
        }
    }

    public sealed class Untrusted(ProxiedFactory factory) : IClassFixture<ProxiedFactory>
    {
        [Fact]
        public async Task ForwardedForFromAnUntrustedAddress_IsIgnored()
        {
            var ip = await AuditedAddressAsync(factory);

            Assert.Equal(ProxiedFactory.Proxy.ToString(), ip);
        }
    }

    private static async Task<string?> AuditedAddressAsync(KryptosFactory factory)
    {
        var (_, client) = await factory.SignedInUserAsync();
        client.Http.DefaultRequestHeaders.Add("X-Forwarded-For", "198.51.100.9");
        var workspaceId = await client.CreateWorkspaceAsync("Behind a proxy");
        client.Dispose();
        return await factory.WithDbAsync(db => db.AuditEvents.Where(e => e.WorkspaceId == workspaceId).Select(e => e.IpAddress).SingleAsync());
    }
}
