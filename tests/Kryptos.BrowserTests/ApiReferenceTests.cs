using Kryptos.BrowserTests.Infrastructure;
using Kryptos.BrowserTests.Pages;
using Kryptos.Connect.Accounts;
using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Kryptos.BrowserTests;

/// <summary>
/// The onboarding path: a developer opens the interactive API reference, authorizes as the demo user
/// with the demo client (code flow + PKCE in a popup) and sends a real /v1 call from the page.
/// </summary>
public sealed class ApiReferenceTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task TheDemoUser_AuthorizesOnTheReferencePage_AndGetsTheirProfileAndHoldingsFromV1() => InBrowserAsync(async page =>
    {
        await SeedDemoDataAsync();
        var violations = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase))
            {
                violations.Add(message.Text);
            }
        };

        await page.GotoAsync("/docs/api/");
        await Expect(page.GetByText("Kryptos Connect API").First).ToBeVisibleAsync();

        var popup = await page.RunAndWaitForPopupAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Authorize", Exact = true }).First.ClickAsync());
        var closed = new TaskCompletionSource();
        popup.Close += (_, _) => closed.TrySetResult();
        await new LoginPage(popup).LogInAsync(new Person("Demo Developer", DemoAccount.Email, DemoAccount.Password));
        await new ConsentPage(popup).AllowAsync();
        // Scalar reads the code from its redirect page, redeems it at /oidc/token and closes the popup.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));

        await page.GotoAsync("/docs/api/#tag/users/GET/v1/users/me");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test Request" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).First.ClickAsync();

        // The response panel shows the demo user's profile, which only a real, authorized call returns.
        await Expect(page.GetByText("\"displayName\": \"Demo Developer\"").First).ToBeVisibleAsync();
        await Expect(page.GetByText(DemoAccount.Email).First).ToBeVisibleAsync();

        // The first call a developer came for: the demo portfolio's holdings, computed from its transactions.
        await page.Keyboard.PressAsync("Escape");
        await page.GotoAsync("/docs/api/#tag/portfolios/GET/v1/holdings");
        await page.GetByRole(AriaRole.Button, new() { Name = "Test Request" }).First.ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).First.ClickAsync();
        await Expect(page.GetByText("\"asset\": \"BTC\"").First).ToBeVisibleAsync();
        await Expect(page.GetByText("\"priceSource\": \"demo\"").First).ToBeVisibleAsync();
        Assert.Empty(violations);

        // …through a grant the demo user gave the demo client, whose code the page redeemed.
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var used = await db.OAuthGrants.Where(g => g.Application!.ClientId == ApiReferenceClient.ClientId).Select(g => g.LastUsedAt).ToListAsync();
        Assert.Contains(used, at => at is not null);
    });

    /// <summary>The demo account and the reference's demo client, as a Development start seeds them (the shared host seeds nothing).</summary>
    private async Task SeedDemoDataAsync()
    {
        await using var scope = Fixture.App.Services.CreateAsyncScope();
        foreach (var seeder in scope.ServiceProvider.GetServices<IDataSeeder>())
        {
            await seeder.SeedAsync(CancellationToken.None);
        }
    }
}
