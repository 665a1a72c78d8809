using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Pruning;

namespace Kryptos.Connect.Core.RateLimits;

public static class RateLimitsRegistration
{
    /// <summary>
    /// The counters every instance shares (<see cref="SharedCounters"/>), pruned on the pruning schedule,
    /// and on them the per-client and per-key limits of <c>/v1</c> and <c>/oidc/token</c>
    /// (<see cref="ApiRateLimiter"/>, synchronised in the background by <see cref="ApiRateLimitSync"/>).
    /// </summary>
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotationsRecursively(RateLimitOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<ISharedCounters, SharedCounters>();
        services.AddPruner<SharedCounterPruner>();
        services.AddSingleton<ApiRateLimiter>();
        services.AddHostedService<ApiRateLimitSync>();
        return services;
    }
}
