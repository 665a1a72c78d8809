using Kryptos.Connect.Core.Workspaces;

namespace Kryptos.UnitTests.Workspaces;

/// <summary>The role matrix: every role against every operation, as a table.</summary>
public sealed class WorkspacePermissionsTests
{
    // Operation                              Owner  Admin  Editor Viewer
    private static readonly (WorkspaceOperation Operation, bool Owner, bool Admin, bool Editor, bool Viewer)[] Matrix =
    [
        (WorkspaceOperation.View,          true,  true,  true,  true),
        (WorkspaceOperation.EditSettings,  true,  true,  false, false),
        (WorkspaceOperation.Delete,        true,  false, false, false),
        (WorkspaceOperation.ManageMembers, true,  true,  false, false),
        (WorkspaceOperation.ManageOwners,  true,  false, false, false),
        (WorkspaceOperation.ViewAuditLog,  true,  true,  false, false),
        (WorkspaceOperation.ManageClients, true,  true,  true,  false),
        (WorkspaceOperation.ManageApiKeys, true,  true,  false, false),
        (WorkspaceOperation.ShareWithApps, true,  true,  false, false),
        (WorkspaceOperation.ManageConnectedApps, true, true, false, false),
        (WorkspaceOperation.EditPortfolio, true,  true,  true,  false),
    ];

    public static TheoryData<WorkspaceRole, WorkspaceOperation, bool> Cases
    {
        get
        {
            var cases = new TheoryData<WorkspaceRole, WorkspaceOperation, bool>();
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
    public void Allows_FollowsTheRoleMatrix(WorkspaceRole role, WorkspaceOperation operation, bool allowed) =>
        Assert.Equal(allowed, WorkspacePermissions.Allows(role, operation));

    [Theory]
    [MemberData(nameof(Cases))]
    public void Membership_AnswersWhatTheMatrixAllows(WorkspaceRole role, WorkspaceOperation operation, bool allowed)
    {
        var membership = new WorkspaceMembership(new Workspace { Name = "Acme" }, Guid.NewGuid(), role);

        Assert.Equal(allowed, membership.Can(operation));
    }

    [Fact]
    public void Matrix_CoversEveryOperationAndEveryRole()
    {
        Assert.Equal(Enum.GetValues<WorkspaceOperation>().Order(), Matrix.Select(m => m.Operation).Order());
        Assert.Equal(4, Enum.GetValues<WorkspaceRole>().Length);
    }

    [Theory]
    [InlineData(WorkspaceRole.Owner)]
    [InlineData(WorkspaceRole.Admin)]
    [InlineData(WorkspaceRole.Editor)]
    [InlineData(WorkspaceRole.Viewer)]
    public void AWorkspaceThatLetsMembersConnectApps_LetsEveryRoleShareIt_AndNothingElseChanges(WorkspaceRole role)
    {
        var open = new WorkspaceMembership(new Workspace { Name = "Open", MembersMayConnectApps = true }, Guid.NewGuid(), role);

        Assert.True(open.Can(WorkspaceOperation.ShareWithApps));
        Assert.All(Enum.GetValues<WorkspaceOperation>().Where(o => o != WorkspaceOperation.ShareWithApps),
            operation => Assert.Equal(WorkspacePermissions.Allows(role, operation), open.Can(operation)));
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public void UnknownOperation_IsDeniedToEveryRole(WorkspaceRole role) =>
        Assert.False(WorkspacePermissions.Allows(role, (WorkspaceOperation)999));
}
