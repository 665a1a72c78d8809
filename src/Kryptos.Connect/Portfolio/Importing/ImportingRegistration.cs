using Kryptos.Connect.Hosting;

namespace Kryptos.Connect.Portfolio.Importing;

internal static class ImportingRegistration
{
    /// <summary>CSV imports of transactions: small files at once, large ones by a background worker.</summary>
    internal static IServiceCollection AddImporting(this IServiceCollection services)
    {
        services.AddOptions<ImportOptions>().BindConfiguration(ImportOptions.SectionName)
            .ValidateDataAnnotationsRecursively(ImportOptions.SectionName).ValidateOnStart();
        services.AddSingleton<ImportBacklog>();
        services.AddScoped<ImportProcessor>();
        services.AddScoped<ImportService>();
        services.AddHostedService<ImportWorker>();
        return services;
    }
}
