using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>The portal is server-rendered; its core forms must work with JavaScript turned off.</summary>
public sealed class FormsWithoutJavaScriptTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task WithoutJavaScript_ADeveloperCanSignUpLogInAndCreateAWorkspace() => InBrowserAsync(async page =>
    {
        var developer = Person.New("Alan Turing", "nojs");

        await (await SignUpPage.OpenAsync(page)).SignUpAsync(developer);
        var workspaces = await (await LoginPage.OpenAsync(page)).LogInToWorkspacesAsync(developer);
        var workspace = await (await workspaces.StartNewWorkspaceAsync()).CreateAsync("No Script Ltd");
        var workspaceId = workspace.Id;

        await page.GotoAsync("/workspaces");
        await Expect(new WorkspacesPage(page).Workspace("No Script Ltd")).ToHaveAttributeAsync("href", $"/workspaces/{workspaceId}");
    }, new BrowserNewContextOptions { JavaScriptEnabled = false });
}
