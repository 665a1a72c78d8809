using System.Collections.Concurrent;
using Kryptos.Connect.Portfolio.Views;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kryptos.IntegrationTests.Portfolio.Pages;

/// <summary>
/// The real host for the portfolio's write paths, counting the invalidations every write must make.
/// The counter decorates the host's <see cref="IPortfolioViews"/>; it adds nothing else.
/// </summary>
public class PortfolioFactory : KryptosFactory
{
    public PortfolioFactory()
    {
    }

    /// <summary>A host on the data of an earlier one (see <see cref="KryptosFactory.DeleteRootOnDispose"/>).</summary>
    protected PortfolioFactory(string root)
        : base(root)
    {
    }

    /// <summary>Sets a configuration value of the host (before its first use).</summary>
    public PortfolioFactory With(string key, string value)
    {
        Settings[key] = value;
        return this;
    }

    public ConcurrentDictionary<Guid, int> Invalidations { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(services =>
        {
            var registered = services.LastOrDefault(d => d.ServiceType == typeof(IPortfolioViews));
            services.RemoveAll<IPortfolioViews>();
            services.AddSingleton<IPortfolioViews>(provider => new CountingViews(Create(provider, registered), Invalidations));
        });
    }

    private static IPortfolioViews? Create(IServiceProvider provider, ServiceDescriptor? registered) => registered switch
    {
        null => null,
        { ImplementationInstance: IPortfolioViews instance } => instance,
        { ImplementationFactory: { } create } => (IPortfolioViews)create(provider),
        { ImplementationType: { } type } => (IPortfolioViews)ActivatorUtilities.CreateInstance(provider, type),
        _ => null,
    };

    public int InvalidationsOf(Guid workspaceId) => Invalidations.GetValueOrDefault(workspaceId);

    private sealed class CountingViews(IPortfolioViews? inner, ConcurrentDictionary<Guid, int> counts) : IPortfolioViews
    {
        public ValueTask<PortfolioSnapshot> GetAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
            inner?.GetAsync(workspaceId, cancellationToken) ?? throw new InvalidOperationException("The host registers no IPortfolioViews.");

        public void Invalidate(Guid workspaceId)
        {
            counts.AddOrUpdate(workspaceId, 1, (_, count) => count + 1);
            inner?.Invalidate(workspaceId);
        }
    }
}

/// <summary>A portfolio host started on the data folder of an earlier one: a restart.</summary>
public sealed class RestartedPortfolioFactory(string root) : PortfolioFactory(root);
