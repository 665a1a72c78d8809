using Kryptos.Connect.Portfolio.Demo;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Reports;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.Connect.Portfolio.Views;

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
        builder.Services.AddPrices();
        builder.Services.AddPortfolioViews();
        builder.Services.AddDemoData();
        builder.Services.AddReports();
        builder.Services.AddIntegrations();
        builder.Services.AddTransactions();
        builder.Services.AddImporting();
        return builder;
    }
}
