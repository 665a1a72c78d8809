using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>
/// A third-party web app (samples/Kryptos.Samples.WebApp, ASP.NET Core's own OpenID Connect handler)
/// registered in the portal and signing a Kryptos user in: two real servers, one browser.
/// </summary>
public sealed class SignInWithKryptosTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private const string PublisherWorkspace = "Ledger Labs";
    private const string AppName = "Ledger Sample";

    private Uri Authority => new(BaseAddress, "/oidc");

    [Fact]
    public Task User_SignsInToTheSampleApp_ConsentsAndTheAppShowsTheirNameAndScopes() => InBrowserAsync(async page =>
    {
        var user = Person.New("Grace Hopper", "sample-user");
        await using var sample = await RegisterSampleAsync(page, Person.New("Ada Lovelace", "sample-developer"));
        await (await SignUpPage.OpenAsync(page)).SignUpAsync(user);

        var app = await SampleAppPage.OpenAsync(page, sample.Address);
        await app.SignInWithKryptos.ClickAsync();
        await page.WaitForURLAsync(url => url.StartsWith(new Uri(BaseAddress, "/account/login").ToString(), StringComparison.Ordinal));
        await new LoginPage(page).LogInAsync(user);

        // An address nobody verified cannot connect an app: Kryptos asks for the verification first,
        // then takes the user back to the app's request.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Verify your email first" })).ToBeVisibleAsync();
        var verifyFirst = page.Url;
        await new CheckEmailPage(page).VerifyEmailThroughOutboxAsync(user);
        await page.GotoAsync(verifyFirst);

        var consent = new ConsentPage(page);
        await Expect(consent.Title).ToHaveTextAsync($"{AppName} wants to access your Kryptos account");
        await Expect(consent.Publisher).ToContainTextAsync($"Published by the Kryptos workspace {PublisherWorkspace}.");
        await Expect(consent.Scopes).ToHaveCountAsync(5);
        foreach (var scope in (string[])["Sign you in", "Your profile", "Your email address", "Stay connected", "Portfolios and holdings"])
        {
            await Expect(consent.Scopes.Filter(new() { HasText = scope })).ToHaveCountAsync(1);
        }

        await Expect(consent.Workspace($"{user.Name}'s workspace")).ToBeCheckedAsync();
        await consent.AllowAsync();

        await app.WaitForOriginAsync(sample.Address);
        await Expect(app.UserName).ToHaveTextAsync(user.Name);
        Assert.Equal(
            ["email", "offline_access", "openid", "portfolios:read", "profile"],
            (await app.GrantedScopes.AllTextContentsAsync()).Order(StringComparer.Ordinal));

        // RP-initiated logout: Kryptos asks, then sends the browser back through /signout-callback-oidc.
        await app.SignOutButton.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log out of Kryptos?" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Log out", Exact = true }).ClickAsync();
        await app.WaitForOriginAsync(sample.Address);
        await Expect(app.SignInWithKryptos).ToBeVisibleAsync();
    });

    [Fact]
    public Task User_DeniesConsent_TheSampleAppShowsAccessDenied() => InBrowserAsync(async page =>
    {
        var developer = Person.New("Ada Lovelace", "sample-developer");
        await using var sample = await RegisterSampleAsync(page, developer);

        var app = await SampleAppPage.OpenAsync(page, sample.Address);
        await app.SignInWithKryptos.ClickAsync();
        await new LoginPage(page).LogInAsync(developer);
        var consent = new ConsentPage(page);
        await Expect(consent.Title).ToHaveTextAsync($"{AppName} wants to access your Kryptos account");
        await consent.DenyAsync();

        await app.WaitForOriginAsync(sample.Address);
        await Expect(app.Heading).ToHaveTextAsync("Access denied");
        await Expect(app.Alert).ToContainTextAsync("You chose not to share your Kryptos data with this app.");
        await Expect(app.ErrorCode).ToHaveTextAsync("access_denied");
        await Expect(app.UserName).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to" }).ClickAsync();
        await Expect(app.SignInWithKryptos).ToBeVisibleAsync();
    });

    /// <summary>
    /// A developer starts the sample, which says what to register; registers it in the portal as a
    /// confidential client with the default scopes; gives the sample its client ID and secret and
    /// restarts it; logs out of the portal. Returns the configured sample.
    /// </summary>
    private async Task<SampleWebApp> RegisterSampleAsync(IPage page, Person developer)
    {
        var unconfigured = await SampleWebApp.StartAsync(Authority);
        try
        {
            var setup = await SampleAppPage.OpenAsync(page, unconfigured.Address);
            await Expect(setup.Heading).ToHaveTextAsync("Connect this app to Kryptos");
            var redirectUri = await setup.RedirectUri.TextContentAsync();
            var postLogoutRedirectUri = await setup.PostLogoutRedirectUri.TextContentAsync();
            Assert.Equal(new Uri(unconfigured.Address, "/signin-oidc").ToString(), redirectUri);

            var workspace = await Journeys.DeveloperWithWorkspaceAsync(page, developer, PublisherWorkspace);
            var newClient = await (await workspace.OpenClientsAsync()).StartNewClientAsync();
            var client = await newClient.CreateAsync(AppName, [redirectUri!], [postLogoutRedirectUri!]);
            var clientId = await client.ClientId.InputValueAsync();
            var clientSecret = await client.NewSecret.InputValueAsync();
            await client.LogOutAsync();

            return await unconfigured.RestartWithClientAsync(clientId, clientSecret);
        }
        catch
        {
            await unconfigured.DisposeAsync();
            throw;
        }
    }
}
