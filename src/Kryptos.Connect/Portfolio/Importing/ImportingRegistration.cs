namespace Kryptos.Connect.Portfolio.Importing;

internal static class ImportingRegistration
{
    /// <summary>CSV imports of transactions, processed in the background.</summary>
    internal static IServiceCollection AddImporting(this IServiceCollection services) => services;
}
