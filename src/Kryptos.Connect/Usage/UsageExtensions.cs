using Kryptos.Connect.Hosting;

namespace Kryptos.Connect.Usage;

public static class UsageExtensions
{
    /// <summary>
    /// Usage statistics: the metering buffer and its writer, the hourly and daily rollups with their
    /// retention, and the reader behind the usage pages. Whoever meters (the Connect API) passes plain
    /// values to <see cref="UsageRecorder"/>.
    /// </summary>
    public static WebApplicationBuilder AddUsage(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<UsageOptions>().BindConfiguration(UsageOptions.SectionName)
            .ValidateDataAnnotationsRecursively(UsageOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<UsageRecorder>();
        services.AddHostedService<UsageWriter>();
        services.AddScoped<UsageRollup>();
        services.AddHostedService<UsageRollupService>();
        services.AddScoped<UsageReader>();
        services.AddScoped<UserActivity>();
        return builder;
    }
}
