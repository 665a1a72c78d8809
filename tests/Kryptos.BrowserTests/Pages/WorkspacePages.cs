using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

/// <summary><c>/workspaces</c>: the signed-in user's workspaces.</summary>
public sealed class WorkspacesPage(IPage page) : PortalPage(page)
{
    public static async Task<WorkspacesPage> OpenAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync("/workspaces");
        return new WorkspacesPage(page);
    }

    public ILocator Workspace(string name) => Page.GetByRole(AriaRole.Link).Filter(new() { Has = Page.GetByRole(AriaRole.Heading, new() { Name = name, Exact = true }) });

    public async Task<NewWorkspacePage> StartNewWorkspaceAsync()
    {
        await Page.GetByRole(AriaRole.Link, new() { Name = "Create workspace" }).ClickAsync();
        var next = new NewWorkspacePage(Page);
        await Expect(next.Heading("Create a workspace")).ToBeVisibleAsync();
        return next;
    }
}

/// <summary><c>/workspaces/new</c>.</summary>
public sealed class NewWorkspacePage(IPage page) : PortalPage(page)
{
    public async Task<WorkspacePage> CreateAsync(string name, string description = "")
    {
        await Page.GetByLabel("Workspace name").FillAsync(name);
        await Page.GetByLabel("Description").FillAsync(description);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        var workspace = new WorkspacePage(Page);
        await Expect(workspace.Heading(name)).ToBeVisibleAsync();
        await Expect(workspace.Status($"Workspace \"{name}\" created.")).ToBeVisibleAsync();
        return workspace;
    }
}

/// <summary>Any page of one workspace (<c>/workspaces/{id}/…</c>): its header and tabs.</summary>
public partial class WorkspacePage(IPage page) : PortalPage(page)
{
    /// <summary>The workspace's id, read from the address bar.</summary>
    public Guid Id => Guid.Parse(WorkspacePath().Match(new Uri(Page.Url).AbsolutePath).Groups["id"].Value);

    public ILocator Tabs => Page.GetByRole(AriaRole.Navigation, new() { Name = "Workspace" });

    public async Task<MembersPage> OpenMembersAsync()
    {
        await Tabs.GetByRole(AriaRole.Link, new() { Name = "Members" }).ClickAsync();
        var members = new MembersPage(Page);
        await Expect(members.Page.GetByRole(AriaRole.Heading, new() { Name = "Members", Level = 2 })).ToBeVisibleAsync();
        return members;
    }

    public async Task<AuditLogPage> OpenAuditLogAsync()
    {
        await Tabs.GetByRole(AriaRole.Link, new() { Name = "Audit log" }).ClickAsync();
        var audit = new AuditLogPage(Page);
        await Expect(audit.Page.GetByRole(AriaRole.Heading, new() { Name = "Audit log", Level = 2 })).ToBeVisibleAsync();
        return audit;
    }

    [GeneratedRegex("^/workspaces/(?<id>[0-9a-f-]{36})")]
    private static partial Regex WorkspacePath();
}

/// <summary><c>/workspaces/{id}/members</c>.</summary>
public sealed class MembersPage(IPage page) : WorkspacePage(page)
{
    public ILocator MemberRows => Page.GetByRole(AriaRole.Region, new() { Name = "Members" }).Locator("tbody tr");

    /// <summary>Invites <paramref name="email"/> with a role of the select (<c>Admin</c>, <c>Editor</c>, <c>Viewer</c> …).</summary>
    public async Task InviteAsync(string email, string role)
    {
        await Page.GetByLabel("Email address", new() { Exact = true }).FillAsync(email);
        await Page.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync(role);
        await Page.GetByRole(AriaRole.Button, new() { Name = "Send invitation" }).ClickAsync();
        await Expect(Status($"Invitation sent to {email}.")).ToBeVisibleAsync();
    }
}

/// <summary><c>/workspaces/{id}/audit</c>.</summary>
public sealed class AuditLogPage(IPage page) : WorkspacePage(page)
{
    /// <summary>The action codes in the table, newest first (such as <c>invitation.accepted</c>).</summary>
    public Task<IReadOnlyList<string>> ActionsAsync() => Page.Locator("tbody td code").AllTextContentsAsync();
}

/// <summary><c>/invitations/{token}</c>: where an invitation mail's link leads.</summary>
public sealed class InvitationPage(IPage page) : PortalPage(page)
{
    /// <summary>Accepts and lands on the workspace.</summary>
    public async Task<WorkspacePage> AcceptAsync(string workspaceName)
    {
        await Page.GetByRole(AriaRole.Button, new() { Name = "Accept invitation" }).ClickAsync();
        var workspace = new WorkspacePage(Page);
        await Expect(workspace.Status($"Welcome to {workspaceName}.")).ToBeVisibleAsync();
        return workspace;
    }
}
