using System.Collections.Concurrent;
using Kryptos.Connect.Portfolio.Views;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Portfolio.Demo;

/// <summary>
/// Stands in for the engine's cached views, only to see which workspaces a write invalidates; it
/// computes nothing (<see cref="GetAsync"/> is not used by these tests).
/// </summary>
public sealed class RecordingPortfolioViews : IPortfolioViews
{
    public ConcurrentQueue<Guid> Invalidated { get; } = new();

    public ValueTask<PortfolioSnapshot> GetAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("Only invalidations are recorded.");

    public void Invalidate(Guid workspaceId) => Invalidated.Enqueue(workspaceId);
}

/// <summary>The host with <see cref="RecordingPortfolioViews"/> in place of the engine's views.</summary>
public sealed class RecordingViewsFactory : KryptosFactory
{
    public RecordingPortfolioViews Views { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.AddSingleton<IPortfolioViews>(Views));
    }
}
