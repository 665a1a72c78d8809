namespace Kryptos.Connect.Core.Audit;

/// <summary>The action names written to the audit log; stable, so they can be filtered on.</summary>
public static class AuditActions
{
    public const string WorkspaceCreated = "workspace.created";
    public const string WorkspaceSettingsChanged = "workspace.settings_changed";
    public const string MemberInvited = "member.invited";
    public const string InvitationRevoked = "invitation.revoked";
    public const string InvitationAccepted = "invitation.accepted";
    public const string MemberRoleChanged = "member.role_changed";
    public const string MemberRemoved = "member.removed";
    public const string MemberLeft = "member.left";
    public const string ClientCreated = "client.created";
    public const string ClientUpdated = "client.updated";
    public const string ClientDisabled = "client.disabled";
    public const string ClientEnabled = "client.enabled";
    public const string ClientDeleted = "client.deleted";
    public const string ClientSecretRotated = "client.secret_rotated";
    public const string ClientSecretRevoked = "client.secret_revoked";
    public const string AppConnected = "app.connected";
    public const string AppDisconnected = "app.disconnected";
    public const string AccountDeleted = "member.account_deleted";
    public const string IntegrationAdded = "portfolio.account_added";
    public const string IntegrationRenamed = "portfolio.account_renamed";
    public const string IntegrationDeleted = "portfolio.account_deleted";
    public const string TransactionAdded = "portfolio.transaction_added";
    public const string TransactionEdited = "portfolio.transaction_edited";
    public const string TransactionDeleted = "portfolio.transaction_deleted";
    public const string TransactionsImported = "portfolio.transactions_imported";
    public const string DemoDataLoaded = "portfolio.demo_loaded";
    public const string PricesImported = "portfolio.prices_imported";
    public const string PricesDeleted = "portfolio.prices_deleted";
    public const string ReportRequested = "portfolio.report_requested";
    public const string ApiKeyCreated = "apikey.created";
    public const string ApiKeyRevoked = "apikey.revoked";
    public const string ApiKeyLeakReported = "apikey.leak_reported";
}
