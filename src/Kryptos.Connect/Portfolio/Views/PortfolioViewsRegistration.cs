using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Hosting;

namespace Kryptos.Connect.Portfolio.Views;

internal static class PortfolioViewsRegistration
{
    /// <summary>
    /// The computed views: one in-memory cache for the whole process (a singleton), invalidated by
    /// every write to a workspace's portfolio data and by the settings the figures depend on.
    /// </summary>
    internal static IServiceCollection AddPortfolioViews(this IServiceCollection services)
    {
        services.AddOptions<PortfolioViewsOptions>().BindConfiguration(PortfolioViewsOptions.SectionName)
            .ValidateDataAnnotationsRecursively(PortfolioViewsOptions.SectionName).ValidateOnStart();
        services.AddSingleton<PortfolioViews>();
        services.AddSingleton<IPortfolioViews>(sp => sp.GetRequiredService<PortfolioViews>());
        services.AddScoped<IHandles<PortfolioSettingsChanged>, InvalidateViews>();
        services.AddScoped<IHandles<WorkspaceDeleting>, InvalidateViews>();
        return services;
    }
}

/// <summary>Drops a workspace's snapshot when its base currency or cost-basis method changes, or it is deleted.</summary>
internal sealed class InvalidateViews(IPortfolioViews views) : IHandles<PortfolioSettingsChanged>, IHandles<WorkspaceDeleting>
{
    public Task HandleAsync(PortfolioSettingsChanged domainEvent, CancellationToken cancellationToken)
    {
        views.Invalidate(domainEvent.WorkspaceId);
        return Task.CompletedTask;
    }

    public Task HandleAsync(WorkspaceDeleting domainEvent, CancellationToken cancellationToken)
    {
        views.Invalidate(domainEvent.WorkspaceId);
        return Task.CompletedTask;
    }
}
