namespace Kryptos.Connect.Portfolio.Integrations;

internal static class IntegrationsRegistration
{
    /// <summary>Wallets, exchange accounts and CSV sources of a workspace.</summary>
    internal static IServiceCollection AddIntegrations(this IServiceCollection services)
    {
        services.AddScoped<IntegrationService>();
        return services;
    }
}
