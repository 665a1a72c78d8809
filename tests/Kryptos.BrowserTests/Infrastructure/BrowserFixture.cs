using Microsoft.Playwright;

namespace Kryptos.BrowserTests.Infrastructure;

/// <summary>
/// One host and one Chromium for the whole collection: the host's first request costs seconds and
/// so does launching a browser. Tests stay independent by using a new browser context (cookies,
/// storage) and new accounts each.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    /// <summary>Where Chromium is; Debian's package by default (no <c>playwright install</c>: there is no download).</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("KRYPTOS_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public KryptosApp App { get; } = new();

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The fixture is not initialized.");

    public Uri BaseAddress => App.BaseAddress;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is not at {ChromiumPath}. Run ./scripts/test (it installs Debian's chromium as root), "
                + "or 'apt-get install -y chromium', or point KRYPTOS_CHROMIUM at a Chromium binary.");
        }

        // Start the host and the browser side by side; each takes seconds.
        var server = Task.Run(App.Start);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Args = ChromiumArgs,
        });
        await server;

        // Pay the host's first-request cost here, not inside the first test's timeouts.
        using var http = new HttpClient { BaseAddress = BaseAddress };
        using var warmUp = await http.GetAsync(new Uri("/account/login", UriKind.Relative));
        warmUp.EnsureSuccessStatusCode();

        // Pages render in milliseconds once warm, but two cores shared with the other test
        // projects can stall a step for seconds.
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollectionDefinition : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}
