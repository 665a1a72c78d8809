using System.Net;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>
/// A workspace the caller does not belong to does not exist for them: every page and every action
/// answers 404 (never 403, which would confirm it exists), and nothing changes.
/// </summary>
public sealed class TenantIsolationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    public static TheoryData<string> Pages => ["", "/settings", "/members", "/audit"];

    public static TheoryData<string> Actions =>
    [
        "/settings",
        "/settings?handler=Delete",
        "/settings?handler=Leave",
        "/members?handler=Invite",
        "/members?handler=Revoke",
        "/members?handler=ChangeRole",
        "/members?handler=Remove",
    ];

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task AnotherTenantsWorkspacePage_IsNotFoundForANonMember(string page)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Private Books");
        var (_, stranger) = await factory.SignedInUserAsync();

        using var response = await stranger.Http.GetAsync(new Uri($"/workspaces/{workspaceId}{page}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("Private Books", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        owner.Dispose();
        stranger.Dispose();
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task UnknownWorkspacePage_IsNotFound(string page)
    {
        var (_, client) = await factory.SignedInUserAsync();

        using var response = await client.Http.GetAsync(new Uri($"/workspaces/{Guid.NewGuid()}{page}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        client.Dispose();
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task ActionOnAnotherTenantsWorkspace_IsNotFound_AndChangesNothing(string action)
    {
        var (owner, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Private Books");
        var invitee = Intents.NewEmail("invitee");
        await factory.InviteAsync(ownerClient, workspaceId, invitee, WorkspaceRole.Viewer);
        var invitation = Assert.Single(await factory.InvitationsAsync(workspaceId));
        var (stranger, strangerClient) = await factory.SignedInUserAsync();
        var auditBefore = (await factory.AuditEventsAsync(workspaceId)).Count;

        using var response = await strangerClient.PostDirectAsync($"/workspaces/{workspaceId}{action}", new Dictionary<string, string>
        {
            ["Input.Name"] = "Hijacked",
            ["Input.BaseCurrency"] = "EUR",
            ["Input.CostBasisMethod"] = nameof(CostBasisMethod.Lifo),
            ["DeleteConfirmation"] = "Private Books",
            ["Invite.Email"] = stranger.Email,
            ["Invite.Role"] = nameof(WorkspaceRole.Owner),
            ["invitationId"] = invitation.Id.ToString(),
            ["memberId"] = (await factory.UserIdAsync(owner)).ToString(),
            ["role"] = nameof(WorkspaceRole.Viewer),
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var workspace = await factory.WorkspaceAsync(workspaceId);
        Assert.NotNull(workspace);
        Assert.Equal("Private Books", workspace.Name);
        Assert.Equal("USD", workspace.BaseCurrency);
        Assert.Equal(1, await factory.MemberCountAsync(workspaceId));
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, owner.Email));
        var after = Assert.Single(await factory.InvitationsAsync(workspaceId));
        Assert.Null(after.RevokedAt);
        Assert.Equal(auditBefore, (await factory.AuditEventsAsync(workspaceId)).Count);
        ownerClient.Dispose();
        strangerClient.Dispose();
    }

    [Theory]
    [MemberData(nameof(Actions))]
    public async Task ActionOnAnUnknownWorkspace_IsNotFound(string action)
    {
        var (_, client) = await factory.SignedInUserAsync();

        using var response = await client.PostDirectAsync($"/workspaces/{Guid.NewGuid()}{action}", new Dictionary<string, string>
        {
            ["Input.Name"] = "Ghost",
            ["Input.BaseCurrency"] = "EUR",
            ["Invite.Email"] = Intents.NewEmail(),
            ["memberId"] = Guid.NewGuid().ToString(),
            ["role"] = nameof(WorkspaceRole.Viewer),
        });

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        client.Dispose();
    }

    [Fact]
    public async Task OwnerOfOneWorkspace_CannotReachAnotherWorkspacesMembersOrInvitationsThroughTheirOwn()
    {
        var (_, attacker) = await factory.SignedInUserAsync();
        var ownWorkspace = await attacker.CreateWorkspaceAsync("Attacker Base");
        var (_, victimOwner) = await factory.SignedInUserAsync();
        var victimWorkspace = await victimOwner.CreateWorkspaceAsync("Victim Books");
        var (victimMember, _) = await factory.MemberAsync(victimOwner, victimWorkspace, WorkspaceRole.Editor);
        await factory.InviteAsync(victimOwner, victimWorkspace, Intents.NewEmail("pending"), WorkspaceRole.Viewer);
        var pending = (await factory.InvitationsAsync(victimWorkspace)).Single(i => i.AcceptedAt is null);
        var victimMemberId = await factory.UserIdAsync(victimMember);
        var members = $"/workspaces/{ownWorkspace}/members";

        using var changeRole = await attacker.PostDirectAsync($"{members}?handler=ChangeRole", new Dictionary<string, string>
        {
            ["memberId"] = victimMemberId.ToString(),
            ["role"] = nameof(WorkspaceRole.Viewer),
        });
        using var remove = await attacker.PostDirectAsync($"{members}?handler=Remove", new Dictionary<string, string>
        {
            ["memberId"] = victimMemberId.ToString(),
        });
        using var revoke = await attacker.PostDirectAsync($"{members}?handler=Revoke", new Dictionary<string, string>
        {
            ["invitationId"] = pending.Id.ToString(),
        });

        Assert.Equal(HttpStatusCode.BadRequest, changeRole.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, remove.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, revoke.StatusCode);
        Assert.Equal(WorkspaceRole.Editor, await factory.RoleOfAsync(victimWorkspace, victimMember.Email));
        Assert.Null((await factory.InvitationsAsync(victimWorkspace)).Single(i => i.Id == pending.Id).RevokedAt);
        Assert.Equal(1, await factory.MemberCountAsync(ownWorkspace));
        attacker.Dispose();
        victimOwner.Dispose();
    }
}
