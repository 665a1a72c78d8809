namespace Kryptos.Connect.Portal.Audit;

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
}
