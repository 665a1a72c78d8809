using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>Every account starts with a personal workspace, can create more, and sees them all listed with its role.</summary>
public sealed class WorkspaceCreationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    public static TheoryData<string, string> InvalidNames => new()
    {
        { "", "Give the workspace a name." },
        { "   ", "Give the workspace a name." },
        { new string('x', Workspace.NameMaxLength + 1), "The name can be at most 80 characters." },
    };

    [Fact]
    public async Task SignUp_CreatesAPersonalWorkspaceOwnedByTheNewAccount()
    {
        var user = await factory.SignUpAsync(name: "Grace Hopper");

        var memberships = await factory.WithDbAsync(db => db.WorkspaceMembers
            .Where(m => m.User.Email == user.Email)
            .Select(m => new { m.WorkspaceId, m.Role, m.Workspace.Name, m.Workspace.IsPersonal, Members = m.Workspace.Members.Count })
            .ToListAsync());
        var personal = Assert.Single(memberships);
        Assert.True(personal.IsPersonal);
        Assert.Equal(WorkspaceRole.Owner, personal.Role);
        Assert.Equal("Grace Hopper's workspace", personal.Name);
        Assert.Equal(1, personal.Members);
        var created = Assert.Single(await factory.AuditEventsAsync(personal.WorkspaceId));
        Assert.Equal(AuditActions.WorkspaceCreated, created.Action);
        Assert.Equal(user.Email, created.ActorEmail);
    }

    [Fact]
    public async Task CreateWorkspace_MakesTheCreatorItsOnlyOwnerAndOpensItsDashboard()
    {
        var (user, client) = await factory.SignedInUserAsync();

        using var response = await client.SubmitAsync("/workspaces/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "  Ledger Pro  ",
            ["Input.Description"] = "Tax reports for our customers",
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var workspaceId = Guid.Parse(response.Headers.Location!.OriginalString.Split('/')[^1]);
        Assert.Equal($"/workspaces/{workspaceId}", response.Headers.Location.OriginalString);
        var workspace = await factory.WorkspaceAsync(workspaceId);
        Assert.NotNull(workspace);
        Assert.Equal("Ledger Pro", workspace.Name);
        Assert.Equal("Tax reports for our customers", workspace.Description);
        Assert.False(workspace.IsPersonal);
        Assert.Equal("USD", workspace.BaseCurrency);
        Assert.Equal(CostBasisMethod.Fifo, workspace.CostBasisMethod);
        Assert.Equal(1, await factory.MemberCountAsync(workspaceId));
        Assert.Equal(WorkspaceRole.Owner, await factory.RoleOfAsync(workspaceId, user.Email));
        var created = Assert.Single(await factory.AuditEventsAsync(workspaceId));
        Assert.Equal(AuditActions.WorkspaceCreated, created.Action);

        var dashboard = await client.FollowAsync(response);
        Assert.Equal("Ledger Pro", dashboard.Heading());
        Assert.Contains("Workspace \"Ledger Pro\" created.", dashboard.QuerySelector(".alert.success")!.TextContent, StringComparison.Ordinal);
        client.Dispose();
    }

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task CreateWorkspace_WithAnInvalidName_ShowsTheErrorNextToTheNameAndKeepsTheForm(string name, string error)
    {
        var (user, client) = await factory.SignedInUserAsync();

        using var response = await client.SubmitAsync("/workspaces/new", new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.Description"] = "Keep this text",
        });

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal(error, page.FieldError("Input.Name"));
        Assert.Null(page.FieldError("Input.Description"));
        Assert.Equal(name, page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value") ?? "");
        Assert.Equal("Keep this text", page.QuerySelector("textarea[name='Input.Description']")!.TextContent.Trim());
        var memberships = await factory.WithDbAsync(db => db.WorkspaceMembers.CountAsync(m => m.User.Email == user.Email));
        Assert.Equal(1, memberships);
        client.Dispose();
    }

    [Fact]
    public async Task CreateWorkspace_WithATooLongDescription_ShowsTheErrorNextToTheDescription()
    {
        var (user, client) = await factory.SignedInUserAsync();

        using var response = await client.SubmitAsync("/workspaces/new", new Dictionary<string, string>
        {
            ["Input.Name"] = "Verbose",
            ["Input.Description"] = new string('d', Workspace.DescriptionMaxLength + 1),
        });

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal("The description can be at most 500 characters.", page.FieldError("Input.Description"));
        Assert.Equal("Verbose", page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal(1, await factory.WithDbAsync(db => db.WorkspaceMembers.CountAsync(m => m.User.Email == user.Email)));
        client.Dispose();
    }

    [Fact]
    public async Task WorkspaceList_ShowsEveryWorkspaceOfTheUserWithTheirRole_AndNoOtherWorkspace()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var alpha = await client.CreateWorkspaceAsync("Alpha Books");
        var (_, otherClient) = await factory.SignedInUserAsync();
        var shared = await otherClient.CreateWorkspaceAsync("Beta Shared");
        var link = await factory.InviteAsync(otherClient, shared, user.Email, WorkspaceRole.Viewer);
        using (var accepted = await client.AcceptInvitationAsync(link))
        {
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        await otherClient.CreateWorkspaceAsync("Gamma Private");
        var personal = await factory.PersonalWorkspaceIdAsync(user);

        var page = await client.GetPageAsync("/workspaces");

        var cards = page.QuerySelectorAll("main a.card-link")
            .Select(card => (
                Href: card.GetAttribute("href"),
                Name: card.QuerySelector("h3")!.TextContent.Trim(),
                Badges: string.Join(",", card.QuerySelectorAll(".badge").Select(b => b.TextContent.Trim()))))
            .ToList();
        Assert.Equal(
        [
            ($"/workspaces/{personal}", "Ada Lovelace's workspace", "owner,personal"),
            ($"/workspaces/{alpha}", "Alpha Books", "owner"),
            ($"/workspaces/{shared}", "Beta Shared", "viewer"),
        ], cards);
        Assert.DoesNotContain("Gamma Private", page.Body!.TextContent, StringComparison.Ordinal);
        client.Dispose();
        otherClient.Dispose();
    }
}
