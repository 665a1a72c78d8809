using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Transactions;

namespace Kryptos.Connect.Portfolio;

public static class PortfolioExtensions
{
    /// <summary>
    /// The portfolio domain: integrations and their provider catalogue, transactions, prices, the
    /// engine computing holdings, gains, income and the ledger, CSV imports and reports.
    /// </summary>
    public static WebApplicationBuilder AddPortfolio(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddIntegrations();
        builder.Services.AddTransactions();
        builder.Services.AddImporting();
        return builder;
    }
}
