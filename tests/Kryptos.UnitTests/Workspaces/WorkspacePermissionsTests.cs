using System.Reflection;
using System.Security.Claims;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;

namespace Kryptos.UnitTests.Workspaces;

/// <summary>The role matrix: every role against every operation, as a table.</summary>
public sealed class WorkspacePermissionsTests
{
    // Operation               Owner  Admin  Editor Viewer
    private static readonly (string Operation, bool Owner, bool Admin, bool Editor, bool Viewer)[] Matrix =
    [
        (nameof(WorkspaceOperations.View),          true,  true,  true,  true),
        (nameof(WorkspaceOperations.EditSettings),  true,  true,  false, false),
        (nameof(WorkspaceOperations.Delete),        true,  false, false, false),
        (nameof(WorkspaceOperations.ManageMembers), true,  true,  false, false),
        (nameof(WorkspaceOperations.ManageOwners),  true,  false, false, false),
        (nameof(WorkspaceOperations.ViewAuditLog),  true,  true,  false, false),
        (nameof(WorkspaceOperations.ManageClients), true,  true,  true,  false),
        (nameof(WorkspaceOperations.ManageApiKeys), true,  true,  false, false),
    ];

    public static TheoryData<WorkspaceRole, string, bool> Cases
    {
        get
        {
            var cases = new TheoryData<WorkspaceRole, string, bool>();
            foreach (var (operation, owner, admin, editor, viewer) in Matrix)
            {
                cases.Add(WorkspaceRole.Owner, operation, owner);
                cases.Add(WorkspaceRole.Admin, operation, admin);
                cases.Add(WorkspaceRole.Editor, operation, editor);
                cases.Add(WorkspaceRole.Viewer, operation, viewer);
            }

            return cases;
        }
    }

    public static TheoryData<WorkspaceRole> Roles => [.. Enum.GetValues<WorkspaceRole>()];

    [Theory]
    [MemberData(nameof(Cases))]
    public void Allows_FollowsTheRoleMatrix(WorkspaceRole role, string operation, bool allowed) =>
        Assert.Equal(allowed, WorkspacePermissions.Allows(role, Operation(operation)));

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task AuthorizationHandler_SucceedsExactlyWhenTheMatrixAllows(WorkspaceRole role, string operation, bool allowed)
    {
        var requirement = Operation(operation);
        var membership = new WorkspaceMembership(new Workspace { Name = "Acme" }, Guid.NewGuid(), role);
        var context = new AuthorizationHandlerContext([requirement], new ClaimsPrincipal(new ClaimsIdentity("test")), membership);

        await new WorkspaceAuthorizationHandler().HandleAsync(context);

        Assert.Equal(allowed, context.HasSucceeded);
        Assert.Equal(allowed, membership.Can(requirement));
    }

    [Fact]
    public void Matrix_CoversEveryOperationAndEveryRole()
    {
        var operations = typeof(WorkspaceOperations)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(OperationAuthorizationRequirement))
            .Select(f => (Field: f.Name, ((OperationAuthorizationRequirement)f.GetValue(null)!).Name))
            .ToList();

        Assert.All(operations, o => Assert.Equal(o.Field, o.Name));
        Assert.Equal(operations.Select(o => o.Name).Order(), Matrix.Select(m => m.Operation).Order());
        Assert.Equal(4, Enum.GetValues<WorkspaceRole>().Length);
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void UnknownOperation_IsDeniedToEveryRole(WorkspaceRole role) =>
        Assert.False(WorkspacePermissions.Allows(role, new OperationAuthorizationRequirement { Name = "DropDatabase" }));

    [Fact]
    public void NullOperation_Throws() =>
        Assert.Throws<ArgumentNullException>(() => WorkspacePermissions.Allows(WorkspaceRole.Owner, null!));

    private static OperationAuthorizationRequirement Operation(string name) =>
        (OperationAuthorizationRequirement)typeof(WorkspaceOperations).GetField(name, BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;
}
