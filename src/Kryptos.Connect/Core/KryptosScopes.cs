namespace Kryptos.Connect.Core;

/// <summary>
/// The scope vocabulary of Kryptos Connect (docs/architecture.md, "Scopes"). One list used by the
/// portal's client form, the authorization server's scope store and, later, the Connect API's
/// policies and OpenAPI security metadata.
/// </summary>
public static class KryptosScopes
{
    public const string OpenId = "openid";
    public const string Profile = "profile";
    public const string Email = "email";
    public const string OfflineAccess = "offline_access";
    public const string PortfoliosRead = "portfolios:read";
    public const string TransactionsRead = "transactions:read";
    public const string IntegrationsRead = "integrations:read";
    public const string TaxRead = "tax:read";
    public const string AccountingRead = "accounting:read";
    public const string ReportsRead = "reports:read";
    public const string WorkspaceRead = "workspace:read";
    public const string UsersRead = "users:read";

    public sealed record Definition(string Name, string DisplayName, string Description);

    /// <summary>Every scope a client may register, in the order the portal and consent screen show them.</summary>
    /// <remarks>
    /// The matching <c>:write</c> scopes join this list when the Connect API gains endpoints that
    /// write; offering them before would promise access that does not exist.
    /// </remarks>
    public static readonly IReadOnlyList<Definition> All =
    [
        new(OpenId, "Sign you in", "Sign-in with OpenID Connect: an ID token with a stable user identifier (sub)."),
        new(Profile, "Your profile", "Name, preferred username, language and when the profile was last updated."),
        new(Email, "Your email address", "Email address and whether it is verified."),
        new(OfflineAccess, "Stay connected", "Refresh tokens, so the app keeps access while you are away."),
        new(PortfoliosRead, "Portfolios and holdings", "Portfolios, holdings and balances."),
        new(TransactionsRead, "Transactions", "Transaction history."),
        new(IntegrationsRead, "Wallets and exchanges", "Connected wallets, exchanges and chains."),
        new(TaxRead, "Tax reports", "Tax calculations: realized gains and income."),
        new(AccountingRead, "Accounting", "Accounting ledger entries."),
        new(ReportsRead, "Reports", "Generated reports and exports."),
        new(WorkspaceRead, "Workspace settings", "Workspace settings and configuration."),
        new(UsersRead, "Profile and preferences", "User profile and preferences."),
    ];

    /// <summary>The scopes preselected for a new client: all twelve.</summary>
    public static readonly IReadOnlyList<string> Defaults = [.. All.Select(s => s.Name)];

    public static bool IsKnown(string scope) => All.Any(s => s.Name == scope);

    public static Definition Describe(string scope) =>
        All.FirstOrDefault(s => s.Name == scope) ?? new Definition(scope, scope, scope);
}
