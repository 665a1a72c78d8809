using Kryptos.BrowserTests.Infrastructure;
using Microsoft.Playwright;

namespace Kryptos.BrowserTests.Pages;

/// <summary>Steps many scenarios start with, clicked through like a person would.</summary>
public static class Journeys
{
    /// <summary>Signs <paramref name="person"/> up, verifies the email through the outbox and logs in; lands on the workspace list.</summary>
    public static async Task<WorkspacesPage> SignUpVerifiedAsync(IPage page, Person person)
    {
        var checkEmail = await (await SignUpPage.OpenAsync(page)).SignUpAsync(person);
        await checkEmail.VerifyEmailThroughOutboxAsync(person);
        return await (await LoginPage.OpenAsync(page)).LogInToWorkspacesAsync(person);
    }

    /// <summary>A verified developer (who may create OAuth clients) with a new workspace; lands on the workspace.</summary>
    public static async Task<WorkspacePage> DeveloperWithWorkspaceAsync(IPage page, Person developer, string workspaceName)
    {
        var workspaces = await SignUpVerifiedAsync(page, developer);
        return await (await workspaces.StartNewWorkspaceAsync()).CreateAsync(workspaceName);
    }
}
