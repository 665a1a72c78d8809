using System.Collections.Concurrent;
using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

public sealed class LandingPageTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Visitor_SeesSignUpAndLogIn_AndThePageLoadsNothingFromAnotherOrigin() => InBrowserAsync(async page =>
    {
        var requests = new ConcurrentQueue<string>();
        var consoleErrors = new ConcurrentQueue<string>();
        page.Context.Request += (_, request) => requests.Enqueue(request.Url);
        page.Console += (_, message) =>
        {
            // The portal has no favicon; the browser's own request for one answers 404.
            if (message.Type == "error" && !message.Location.Contains("/favicon.ico", StringComparison.Ordinal))
            {
                consoleErrors.Enqueue(message.Text);
            }
        };

        await page.GotoAsync("/", new PageGotoOptions { WaitUntil = WaitUntilState.NetworkIdle });
        var home = new HomePage(page);

        await Expect(home.SignUpLink).ToBeVisibleAsync();
        await Expect(home.LogInLink).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Sign up free" })).ToBeVisibleAsync();
        // The stylesheet and script were fetched, so the recording saw the subresources.
        Assert.Contains(requests, url => new Uri(url).AbsolutePath == "/css/site.css");
        Assert.Contains(requests, url => new Uri(url).AbsolutePath == "/js/site.js");
        var origin = BaseAddress.GetLeftPart(UriPartial.Authority);
        Assert.All(requests, url => Assert.Equal(origin, new Uri(url).GetLeftPart(UriPartial.Authority)));
        // A Content-Security-Policy violation would show up here.
        Assert.Empty(consoleErrors);
    });
}
