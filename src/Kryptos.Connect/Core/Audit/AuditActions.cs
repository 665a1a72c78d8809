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
}
