using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Kryptos.BrowserTests.Infrastructure;

/// <summary>
/// Base of every browser test: runs a scenario in a fresh browser context with a Playwright trace,
/// and keeps a screenshot and the trace when it fails (see <see cref="ArtifactsDirectory"/>).
/// </summary>
[Collection(BrowserCollectionDefinition.Name)]
public abstract class BrowserTest(BrowserFixture fixture, ITestOutputHelper output)
{
    protected BrowserFixture Fixture { get; } = fixture;

    protected Uri BaseAddress => Fixture.BaseAddress;

    /// <summary>
    /// <c>KRYPTOS_BROWSER_ARTIFACTS</c> when set (scripts/test points it at TestResults/browser-artifacts),
    /// else an <c>artifacts</c> folder beside the test assembly.
    /// </summary>
    public static string ArtifactsDirectory =>
        Environment.GetEnvironmentVariable("KRYPTOS_BROWSER_ARTIFACTS") is { Length: > 0 } directory
            ? directory
            : Path.Combine(AppContext.BaseDirectory, "artifacts");

    /// <summary>Runs <paramref name="scenario"/> in a new context (its own cookies) of the shared browser.</summary>
    protected async Task InBrowserAsync(
        Func<IPage, Task> scenario,
        BrowserNewContextOptions? options = null,
        [CallerMemberName] string testName = "")
    {
        ArgumentNullException.ThrowIfNull(scenario);
        options ??= new BrowserNewContextOptions();
        options.BaseURL ??= BaseAddress.ToString();
        await using var context = await Fixture.Browser.NewContextAsync(options);
        await context.Tracing.StartAsync(new TracingStartOptions { Title = $"{GetType().Name}.{testName}", Screenshots = true, Snapshots = true });
        var page = await context.NewPageAsync();
        try
        {
            await scenario(page);
        }
        catch
        {
            await SaveArtifactsAsync(context, page, $"{GetType().Name}.{testName}");
            throw;
        }

        // Passed: the trace is not needed.
        await context.Tracing.StopAsync();
    }

    private async Task SaveArtifactsAsync(IBrowserContext context, IPage page, string name)
    {
        Directory.CreateDirectory(ArtifactsDirectory);
        var screenshot = Path.Combine(ArtifactsDirectory, name + ".png");
        var trace = Path.Combine(ArtifactsDirectory, name + ".trace.zip");
        output.WriteLine($"Failed on {page.Url}");
        try
        {
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot, FullPage = true });
            output.WriteLine($"Screenshot: {screenshot}");
        }
        catch (PlaywrightException e)
        {
            output.WriteLine($"No screenshot: {e.Message}");
        }

        try
        {
            await context.Tracing.StopAsync(new TracingStopOptions { Path = trace });
            output.WriteLine($"Trace: {trace} (open it with Playwright's trace viewer: playwright.ps1 show-trace <file>)");
        }
        catch (PlaywrightException e)
        {
            output.WriteLine($"No trace: {e.Message}");
        }
    }
}
