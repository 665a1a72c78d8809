using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// A host that sees every request come from <see cref="RemoteAddress"/>: the test server has no
/// client address of its own, and rate limits, the audit log and proxy handling read it.
/// </summary>
public abstract class RemoteAddressFactory : KryptosFactory
{
    protected abstract IPAddress RemoteAddress { get; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new FromAddress(RemoteAddress)));
    }

    private sealed class FromAddress(IPAddress address) : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((context, nextMiddleware) =>
            {
                context.Connection.RemoteIpAddress = address;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
