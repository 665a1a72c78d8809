namespace Kryptos.Connect.Core.Workspaces;

/// <summary>What a member may try to do in a workspace. <see cref="WorkspaceMembership.Can"/> decides.</summary>
public enum WorkspaceOperation
{
    View,
    EditSettings,
    Delete,
    ManageMembers,
    ManageOwners,
    ViewAuditLog,
    ManageClients,
    ManageApiKeys,

    /// <summary>Let a third-party app read the workspace's data (choose it on the consent screen).</summary>
    ShareWithApps,

    /// <summary>See every app connected to the workspace, by whom, and revoke them.</summary>
    ManageConnectedApps,

    /// <summary>Add integrations, import or edit transactions and prices, load demo data, generate reports.</summary>
    EditPortfolio,
}

/// <summary>The role matrix of docs/architecture.md, in one place.</summary>
public static class WorkspacePermissions
{
    /// <param name="role">The member's role.</param>
    /// <param name="operation">What they try.</param>
    /// <param name="membersMayConnectApps">The workspace's setting (<see cref="Workspace.MembersMayConnectApps"/>).</param>
    public static bool Allows(WorkspaceRole role, WorkspaceOperation operation, bool membersMayConnectApps = false) => operation switch
    {
        WorkspaceOperation.View => true,
        WorkspaceOperation.Delete or WorkspaceOperation.ManageOwners => role == WorkspaceRole.Owner,
        WorkspaceOperation.EditSettings
            or WorkspaceOperation.ManageMembers
            or WorkspaceOperation.ViewAuditLog
            or WorkspaceOperation.ManageApiKeys
            or WorkspaceOperation.ManageConnectedApps => role is WorkspaceRole.Owner or WorkspaceRole.Admin,
        // Sharing a team's data with an outside app is an owner's or admin's decision, unless the
        // workspace lets every member do it.
        WorkspaceOperation.ShareWithApps => role is WorkspaceRole.Owner or WorkspaceRole.Admin || membersMayConnectApps,
        // Editors build the integration, so they may register and edit OAuth clients.
        WorkspaceOperation.ManageClients => role is WorkspaceRole.Owner or WorkspaceRole.Admin or WorkspaceRole.Editor,
        // Editors keep the books: they bring transactions in; viewers only read.
        WorkspaceOperation.EditPortfolio => role is WorkspaceRole.Owner or WorkspaceRole.Admin or WorkspaceRole.Editor,
        _ => false,
    };
}

/// <summary>
/// A workspace as seen by one of its members: the only way any page or service reaches a workspace
/// (<see cref="Memberships.FindAsync"/>), and the one access check (<see cref="Can"/>). A caller who is
/// not a member gets no membership at all, which pages answer with 404.
/// </summary>
public sealed record WorkspaceMembership(Workspace Workspace, Guid UserId, WorkspaceRole Role)
{
    public bool Can(WorkspaceOperation operation) => WorkspacePermissions.Allows(Role, operation, Workspace.MembersMayConnectApps);
}

public static class WorkspaceRoles
{
    /// <summary>The role as the pages say it: "owner", "admin" …</summary>
    public static string Describe(WorkspaceRole role) => role.ToString().ToLowerInvariant();
}

/// <summary>
/// The outcome of a workspace change: success, or why not. <see cref="Denied"/> is a refusal by the
/// access check (pages answer 403), <see cref="Fail"/> a rule of the change (pages answer 400 with the
/// message next to the form). Services never throw for either.
/// </summary>
public readonly record struct WorkspaceResult(bool Succeeded, string? Error, bool IsDenied = false)
{
    public static WorkspaceResult Ok => new(true, null);

    public static WorkspaceResult Fail(string error) => new(false, error);

    public static WorkspaceResult Denied(string error) => new(false, error, IsDenied: true);
}
