using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>The foundation's "done when", clicked through in a real browser, mails read in the Development outbox.</summary>
public sealed class DeveloperJourneyTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task NewDeveloper_SignsUpVerifiesCreatesAWorkspaceAndAColleagueAcceptsTheInvitation() => InBrowserAsync(async page =>
    {
        var owner = Person.New("Ada Lovelace", "owner");
        var colleague = Person.New("Grace Hopper", "colleague");
        const string workspaceName = "Ledger Pro";

        var checkEmail = await (await SignUpPage.OpenAsync(page)).SignUpAsync(owner);
        await checkEmail.VerifyEmailThroughOutboxAsync(owner);
        var workspaces = await (await LoginPage.OpenAsync(page)).LogInToWorkspacesAsync(owner);
        var workspace = await (await workspaces.StartNewWorkspaceAsync()).CreateAsync(workspaceName, "Books for the tax app");
        var workspaceId = workspace.Id;
        var members = await workspace.OpenMembersAsync();
        await members.InviteAsync(colleague.Email, "Editor");
        await Expect(page.GetByRole(Microsoft.Playwright.AriaRole.Region, new() { Name = "Pending invitations" })).ToContainTextAsync(colleague.Email);
        var home = await members.LogOutAsync();

        await home.SignUpLink.ClickAsync();
        checkEmail = await new SignUpPage(page).SignUpAsync(colleague);
        await checkEmail.VerifyEmailThroughOutboxAsync(colleague);
        await (await LoginPage.OpenAsync(page)).LogInToWorkspacesAsync(colleague);
        var outbox = await new WorkspacesPage(page).OpenOutboxAsync();
        var invitationMail = await outbox.OpenLatestMailAsync(colleague.Email, $"invited you to {workspaceName}");
        await invitationMail.FollowLinkAsync("/invitations/");
        var invitation = new InvitationPage(page);
        await Expect(invitation.Heading($"Join {workspaceName}")).ToBeVisibleAsync();
        var joined = await invitation.AcceptAsync(workspaceName);
        Assert.Equal(workspaceId, joined.Id);
        await joined.LogOutAsync();

        await (await LoginPage.OpenAsync(page)).LogInToWorkspacesAsync(owner);
        await page.GotoAsync($"/workspaces/{workspaceId}");
        var audit = await new WorkspacePage(page).OpenAuditLogAsync();
        Assert.Equal(["invitation.accepted", "member.invited", "workspace.created"], await audit.ActionsAsync());
        await Expect(page.Locator("tbody tr").First).ToContainTextAsync(colleague.Email);
    });
}
