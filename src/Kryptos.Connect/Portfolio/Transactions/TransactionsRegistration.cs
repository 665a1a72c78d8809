namespace Kryptos.Connect.Portfolio.Transactions;

internal static class TransactionsRegistration
{
    /// <summary>Manual transactions and the transaction list.</summary>
    internal static IServiceCollection AddTransactions(this IServiceCollection services)
    {
        services.AddScoped<TransactionService>();
        return services;
    }
}
