using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Kryptos.Connect.Portal.Workspaces;

/// <summary>What a member may try to do in a workspace; checked by <see cref="WorkspaceAuthorizationHandler"/>.</summary>
public static class WorkspaceOperations
{
    public static readonly OperationAuthorizationRequirement View = new() { Name = nameof(View) };
    public static readonly OperationAuthorizationRequirement EditSettings = new() { Name = nameof(EditSettings) };
    public static readonly OperationAuthorizationRequirement Delete = new() { Name = nameof(Delete) };
    public static readonly OperationAuthorizationRequirement ManageMembers = new() { Name = nameof(ManageMembers) };
    public static readonly OperationAuthorizationRequirement ManageOwners = new() { Name = nameof(ManageOwners) };
    public static readonly OperationAuthorizationRequirement ViewAuditLog = new() { Name = nameof(ViewAuditLog) };
    public static readonly OperationAuthorizationRequirement ManageClients = new() { Name = nameof(ManageClients) };
    public static readonly OperationAuthorizationRequirement ManageApiKeys = new() { Name = nameof(ManageApiKeys) };
}

/// <summary>The role matrix of docs/architecture.md, in one place.</summary>
public static class WorkspacePermissions
{
    public static bool Allows(WorkspaceRole role, OperationAuthorizationRequirement operation)
    {
        ArgumentNullException.ThrowIfNull(operation);
        return operation.Name switch
        {
            nameof(WorkspaceOperations.View) => true,
            nameof(WorkspaceOperations.Delete) or nameof(WorkspaceOperations.ManageOwners) => role == WorkspaceRole.Owner,
            nameof(WorkspaceOperations.EditSettings)
                or nameof(WorkspaceOperations.ManageMembers)
                or nameof(WorkspaceOperations.ViewAuditLog)
                or nameof(WorkspaceOperations.ManageApiKeys) => role is WorkspaceRole.Owner or WorkspaceRole.Admin,
            // Editors build the integration, so they may register and edit OAuth clients.
            nameof(WorkspaceOperations.ManageClients) => role is WorkspaceRole.Owner or WorkspaceRole.Admin or WorkspaceRole.Editor,
            _ => false,
        };
    }
}

/// <summary>The one handler that decides every workspace operation from the caller's membership.</summary>
internal sealed class WorkspaceAuthorizationHandler
    : AuthorizationHandler<OperationAuthorizationRequirement, WorkspaceMembership>
{
    protected override Task HandleRequirementAsync(
        AuthorizationHandlerContext context,
        OperationAuthorizationRequirement requirement,
        WorkspaceMembership resource)
    {
        if (WorkspacePermissions.Allows(resource.Role, requirement))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>A workspace as seen by one of its members.</summary>
public sealed record WorkspaceMembership(Workspace Workspace, Guid UserId, WorkspaceRole Role)
{
    public bool Can(OperationAuthorizationRequirement operation) => WorkspacePermissions.Allows(Role, operation);
}
