using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests.Pages;

/// <summary>The sample third-party app's pages (samples/Kryptos.Samples.WebApp), on its own origin.</summary>
public sealed class SampleAppPage(IPage page)
{
    public IPage Page { get; } = page;

    public static async Task<SampleAppPage> OpenAsync(IPage page, Uri address)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.GotoAsync(address.ToString());
        return new SampleAppPage(page);
    }

    public ILocator Heading => Page.GetByRole(AriaRole.Heading, new() { Level = 1 });

    // Not configured yet: the setup page names what to register.
    public ILocator RedirectUri => Page.Locator("#redirect-uri");

    public ILocator PostLogoutRedirectUri => Page.Locator("#post-logout-redirect-uri");

    // Signed out.
    public ILocator SignInWithKryptos => Page.GetByRole(AriaRole.Link, new() { Name = "Sign in with Kryptos" });

    // Signed in.
    public ILocator UserName => Page.Locator("#user-name");

    public ILocator GrantedScopes => Page.GetByRole(AriaRole.List, new() { Name = "Granted scopes" }).GetByRole(AriaRole.Listitem);

    public ILocator SignOutButton => Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" });

    // A failed sign-in.
    public ILocator Alert => Page.GetByRole(AriaRole.Alert);

    public ILocator ErrorCode => Page.Locator("#error-code");

    /// <summary>Waits until the browser is back on the sample's origin.</summary>
    public async Task WaitForOriginAsync(Uri address)
    {
        ArgumentNullException.ThrowIfNull(address);
        await Page.WaitForURLAsync(url => new Uri(url).GetLeftPart(UriPartial.Authority) == address.GetLeftPart(UriPartial.Authority));
        await Expect(Heading).ToBeVisibleAsync();
    }
}
