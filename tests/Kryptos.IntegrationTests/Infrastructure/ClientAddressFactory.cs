using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// A host where each test client chooses the address it comes from (<see cref="NewClientFrom"/>), to
/// play an office behind one address, an attacker elsewhere, or a botnet. The test server has no
/// client address of its own; a test-only startup filter sets it from a header before anything reads it.
/// </summary>
public class ClientAddressFactory : KryptosFactory
{
    private const string Header = "X-Test-Client-Address";

    public ClientAddressFactory()
    {
    }

    /// <summary>A host on an existing <paramref name="root"/> folder, such as one another instance uses too.</summary>
    protected ClientAddressFactory(string root)
        : base(root)
    {
    }

    /// <summary>The address of clients that do not choose one.</summary>
    protected virtual IPAddress DefaultAddress { get; } = IPAddress.Parse("192.0.2.1");

    /// <summary>A browser-like client whose requests come from <paramref name="address"/>.</summary>
    public PortalClient NewClientFrom(string address)
    {
        var client = NewClient();
        client.Http.DefaultRequestHeaders.Add(Header, address);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new FromHeader(DefaultAddress)));
    }

    private sealed class FromHeader(IPAddress defaultAddress) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = context.Request.Headers[Header].FirstOrDefault() is { } chosen ? IPAddress.Parse(chosen) : defaultAddress;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
