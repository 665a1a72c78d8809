using System.Collections.Concurrent;
using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>What a page on another site can do to a portal user's browser: neither frame the portal nor post its forms.</summary>
public sealed class OtherSiteTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task LoginPage_FramedByAnotherSite_IsRefusedByTheBrowser() => InBrowserAsync(async page =>
    {
        var loginUrl = new Uri(BaseAddress, "/account/login").ToString();
        var console = new ConcurrentQueue<string>();
        page.Console += (_, message) => console.Enqueue(message.Text);
        await using var otherSite = await OtherSite.StartAsync(
            $"<!DOCTYPE html><title>Win a prize</title><h1>Click the button to win</h1><iframe id=\"target\" src=\"{loginUrl}\"></iframe>");

        var framed = page.WaitForResponseAsync(loginUrl);
        await page.GotoAsync(new Uri(otherSite.Address, "/prize").ToString());
        var response = await framed;

        // What the real Kestrel response says ...
        Assert.Equal(200, response.Status);
        Assert.Equal("DENY", await response.HeaderValueAsync("x-frame-options"));
        Assert.Contains("frame-ancestors 'none'", await response.HeaderValueAsync("content-security-policy") ?? "", StringComparison.Ordinal);
        // ... and what the browser did with it: it refused to show the page in the frame.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Click the button to win" })).ToBeVisibleAsync();
        await WaitUntilAsync(() => console.Any(m => m.Contains("frame-ancestors 'none'", StringComparison.Ordinal)), "The browser did not report the framing as refused.");
        Assert.NotEqual(loginUrl, page.Frames.Single(f => f != page.MainFrame).Url);
        await Expect(page.FrameLocator("#target").GetByRole(AriaRole.Button, new() { Name = "Log in" })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task FormPostedByAnotherSite_CreatesNoWorkspace() => InBrowserAsync(async page =>
    {
        var victim = Person.New("Victim", "csrf");
        await (await SignUpPage.OpenAsync(page)).SignUpAsync(victim);
        await (await LoginPage.OpenAsync(page)).LogInToWorkspacesAsync(victim);
        await using var otherSite = await OtherSite.StartAsync(
            $"<!DOCTYPE html><title>Cute cats</title><form method=\"post\" action=\"{new Uri(BaseAddress, "/workspaces/new")}\">"
            + "<input name=\"Input.Name\" value=\"Planted by another site\"></form><script>document.forms[0].submit()</script>");

        var posted = page.WaitForResponseAsync(r => r.Request.Method == "POST");
        await page.GotoAsync(otherSite.Address.ToString());
        var response = await posted;

        // The post reached the portal (it was not blocked on the way) and was turned away: the
        // session cookie is SameSite=Lax, and without it the portal asks for a login.
        Assert.StartsWith(BaseAddress.ToString(), response.Url, StringComparison.Ordinal);
        Assert.Equal(302, response.Status);
        var location = new Uri(new Uri(response.Url), await response.HeaderValueAsync("location"));
        Assert.Equal("/account/login", location.AbsolutePath);
        var workspaces = await WorkspacesPage.OpenAsync(page);
        await Expect(workspaces.Heading("Workspaces")).ToBeVisibleAsync();
        await Expect(workspaces.Workspace("Planted by another site")).ToHaveCountAsync(0);
    });

    private static async Task WaitUntilAsync(Func<bool> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(50);
        }
    }
}
