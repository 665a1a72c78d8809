using Kryptos.Connect.Hosting;

namespace Kryptos.Connect.Portfolio.Prices;

internal static class PriceRegistration
{
    /// <summary>
    /// Prices: the composed <see cref="IPriceSource"/> (imports, price API, demo snapshot), the
    /// optional CoinGecko-style API client and the price CSV import.
    /// </summary>
    internal static IServiceCollection AddPrices(this IServiceCollection services)
    {
        services.AddOptions<PriceOptions>()
            .BindConfiguration(PriceOptions.SectionName)
            .ValidateDataAnnotationsRecursively(PriceOptions.SectionName)
            .Validate(o => o.Api.BaseUrl is null || (o.Api.BaseUrl.IsAbsoluteUri && o.Api.BaseUrl.Scheme is "http" or "https"),
                "Prices:Api:BaseUrl must be an absolute http or https URL.")
            .ValidateOnStart();
        // The adapter enforces its own timeout per request; the client's is a backstop.
        services.AddHttpClient(CoinGeckoPriceApi.HttpClientName, client => client.Timeout = TimeSpan.FromMinutes(2));
        services.AddSingleton<CoinGeckoPriceApi>();
        services.AddSingleton<IPriceSource, PriceSource>();
        services.AddScoped<PriceCsvImport>();
        return services;
    }
}
