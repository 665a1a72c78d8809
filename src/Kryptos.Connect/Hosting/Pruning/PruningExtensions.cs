using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Kryptos.Connect.Hosting.Pruning;

public static class PruningExtensions
{
    /// <summary>The scheduler and its settings; features add their pruners with <see cref="AddPruner{TPruner}"/>.</summary>
    public static IServiceCollection AddPruning(this IServiceCollection services)
    {
        services.AddOptions<PruningOptions>().BindConfiguration(PruningOptions.SectionName)
            .ValidateDataAnnotationsRecursively(PruningOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<PruningPass>();
        services.AddHostedService<PruningService>();
        return services;
    }

    /// <summary>Adds a pruner to every pass; passes run the pruners in the order they were added.</summary>
    public static IServiceCollection AddPruner<TPruner>(this IServiceCollection services)
        where TPruner : class, IPruner
    {
        services.TryAddEnumerable(ServiceDescriptor.Scoped<IPruner, TPruner>());
        return services;
    }
}
