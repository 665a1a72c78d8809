using Kryptos.Connect.Hosting;

namespace Kryptos.Connect.Core.RateLimits;

public static class RateLimitsRegistration
{
    /// <summary>The per-client and per-key limits of <c>/v1</c> and <c>/oidc/token</c> (<see cref="ApiRateLimiter"/>).</summary>
    public static IServiceCollection AddApiRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>()
            .BindConfiguration(RateLimitOptions.SectionName)
            .ValidateDataAnnotationsRecursively(RateLimitOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<ApiRateLimiter>();
        return services;
    }
}
