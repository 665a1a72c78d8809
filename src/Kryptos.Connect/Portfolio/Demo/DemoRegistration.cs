using Kryptos.Connect.Data;

namespace Kryptos.Connect.Portfolio.Demo;

internal static class DemoRegistration
{
    /// <summary>The demo data set: the loader behind the "Load demo data" page and the Development seeder.</summary>
    internal static IServiceCollection AddDemoData(this IServiceCollection services)
    {
        services.AddScoped<DemoDataLoader>();
        services.AddScoped<IDataSeeder, DemoPortfolioSeeder>();
        return services;
    }
}
