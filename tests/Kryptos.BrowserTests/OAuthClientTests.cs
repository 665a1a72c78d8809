using System.Globalization;
using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>Issue "OAuth clients": the client secret is shown once, copied from the page, and rotated with a grace period.</summary>
public sealed class OAuthClientTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task Developer_CopiesTheSecretShownOnce_ThenRotatesItWithA24HourGracePeriod() => InBrowserAsync(async page =>
    {
        // The copy button writes to the clipboard; reading it back needs the permission (and a secure
        // context, which http://127.0.0.1 is).
        await page.Context.GrantPermissionsAsync(["clipboard-read", "clipboard-write"]);
        var developer = Person.New("Katherine Johnson", "clients");
        var workspace = await Journeys.DeveloperWithWorkspaceAsync(page, developer, "Orbit Tax");

        var newClient = await (await workspace.OpenClientsAsync()).StartNewClientAsync();
        var details = await newClient.CreateAsync("Orbit Tax Web", ["https://orbit.example.com/signin-oidc"]);

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("It is shown only once");
        var clientId = await details.ClientId.InputValueAsync();
        Assert.StartsWith("kc_", clientId, StringComparison.Ordinal);
        await details.CopyNewSecretButton.ClickAsync();
        await Expect(details.CopyNewSecretButton).ToHaveTextAsync("Copied");
        var secret = await page.EvaluateAsync<string>("() => navigator.clipboard.readText()");
        Assert.StartsWith("kryptos_cs_", secret, StringComparison.Ordinal);
        Assert.Equal(await details.NewSecret.InputValueAsync(), secret);
        await Expect(details.ActiveSecretRows).ToHaveCountAsync(1);
        await Expect(details.ActiveSecretRows).ToContainTextAsync("kryptos_cs_…" + secret[^4..]);

        // Shown once: after a reload only the masked hint is left, nowhere in the page's HTML.
        await page.ReloadAsync();
        await Expect(details.ClientId).ToHaveValueAsync(clientId);
        await Expect(details.NewSecret).ToHaveCountAsync(0);
        Assert.DoesNotContain(secret, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret[..^4], await page.ContentAsync(), StringComparison.Ordinal);
        await Expect(details.ActiveSecretRows).ToHaveCountAsync(1);
        await Expect(details.ActiveSecretRows).ToContainTextAsync("kryptos_cs_…" + secret[^4..]);

        // Rotation with a grace period: a new secret, shown once, and both work for 24 hours.
        await details.RotateSecretAsync("24h");
        var rotated = await details.NewSecret.InputValueAsync();
        Assert.StartsWith("kryptos_cs_", rotated, StringComparison.Ordinal);
        Assert.NotEqual(secret, rotated);
        await Expect(details.SecretRows).ToHaveCountAsync(2);
        await Expect(details.ActiveSecretRows).ToHaveCountAsync(2);
        var newRow = details.ActiveSecretRows.Filter(new() { HasText = "kryptos_cs_…" + rotated[^4..] });
        var oldRow = details.ActiveSecretRows.Filter(new() { HasText = "kryptos_cs_…" + secret[^4..] });
        await Expect(newRow.GetByRole(AriaRole.Cell).Nth(2)).ToHaveTextAsync("never");
        // The old secret now expires 24 hours after the new one was created (both at the same instant).
        var created = await TimeInCellAsync(newRow, 1);
        var expires = await TimeInCellAsync(oldRow, 2);
        Assert.Equal(TimeSpan.FromHours(24), expires - created);

        // The rotated secret is shown once too.
        await page.ReloadAsync();
        await Expect(details.NewSecret).ToHaveCountAsync(0);
        var html = await page.ContentAsync();
        Assert.DoesNotContain(rotated, html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        await Expect(details.ActiveSecretRows).ToHaveCountAsync(2);
    });

    /// <summary>A time in the secrets table, such as "2026-11-28 14:05 UTC".</summary>
    private static async Task<DateTime> TimeInCellAsync(ILocator row, int column) =>
        DateTime.ParseExact((await row.GetByRole(AriaRole.Cell).Nth(column).TextContentAsync() ?? "").Trim(), "yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
