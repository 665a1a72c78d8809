namespace Kryptos.Connect.Portfolio.Reports;

internal static class ReportsRegistration
{
    /// <summary>CSV reports: the service pages call, the queue, and the background worker.</summary>
    internal static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportChannel>();
        services.AddScoped<ReportService>();
        services.AddScoped<ReportGenerator>();
        services.AddHostedService<ReportWorker>();
        return services;
    }
}
