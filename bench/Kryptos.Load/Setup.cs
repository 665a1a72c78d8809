using System.Net;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.Load;

/// <summary>What the scenarios need, made through the server's real pages and endpoints.</summary>
internal sealed record Fixture(TestUser User, CreatedClient Client, string SessionCookie, string Scope);

/// <summary>
/// Prepares a fixture the way people do: a developer signs up, verifies the address from the mail,
/// creates a workspace and registers a confidential client; a user signs up, verifies, logs in and
/// consents once, so the consent is remembered. Uses the integration tests' intents (real forms,
/// antiforgery, the mail written to the pickup folder).
/// </summary>
internal static class Setup
{
    public const string Scope = "openid profile email offline_access portfolios:read users:read";

    public static async Task<Fixture> PrepareAsync(ServerProcess server)
    {
        var mailbox = new Mailbox(server.Outbox);
        var developerUser = await VerifiedUserAsync(server, mailbox, "Ada Lovelace");
        using var developer = Browser(server);
        await LoginAsync(developer, developerUser);
        var workspaceId = await developer.CreateWorkspaceAsync("Load Test Publishing");
        var client = await developer.RegisterClientAsync(workspaceId, new ClientSpec(Name: "Load Test App"));

        var user = await VerifiedUserAsync(server, mailbox, "Grace Hopper");
        var browser = Browser(server, out var cookies);
        using (browser)
        {
            await LoginAsync(browser, user);
            // The first flow shows the consent screen; allowing it remembers the consent.
            var pkce = Pkce.Create();
            var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, Scope), user);
            using var backchannel = Backchannel(server);
            var tokens = await backchannel.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
            if (tokens.Status != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"The first code was not redeemed: {(int)tokens.Status} {tokens.Json}");
            }

            return new Fixture(user, client, cookies.GetCookieHeader(server.Address), Scope);
        }
    }

    /// <summary>A browser: keeps cookies, follows no redirects.</summary>
    public static PortalClient Browser(ServerProcess server) => Browser(server, out _);

    public static PortalClient Browser(ServerProcess server, out CookieContainer cookies)
    {
        cookies = new CookieContainer();
#pragma warning disable CA2000 // The PortalClient owns and disposes the HttpClient and its handler.
        var handler = new SocketsHttpHandler { CookieContainer = cookies, UseCookies = true, AllowAutoRedirect = false };
        return new PortalClient(new HttpClient(handler) { BaseAddress = server.Address }, () => server.Output);
#pragma warning restore CA2000
    }

    /// <summary>A client's server or a bare script: no cookies, no redirects followed.</summary>
    public static HttpClient Backchannel(ServerProcess server) =>
#pragma warning disable CA2000 // The HttpClient owns and disposes its handler.
        new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false, MaxConnectionsPerServer = 1024 }) { BaseAddress = server.Address };
#pragma warning restore CA2000

    private static async Task<TestUser> VerifiedUserAsync(ServerProcess server, Mailbox mailbox, string name)
    {
        var user = new TestUser(Intents.NewEmail("load"), Intents.DefaultPassword, name);
        using (var visitor = Browser(server))
        {
            using var response = await visitor.SubmitSignUpAsync(user.Name, user.Email, user.Password);
            visitor.AssertStatus(HttpStatusCode.Redirect, response);
        }

        // Mail goes out from a background queue: wait for it.
        string? link = null;
        for (var attempt = 0; attempt < 100 && link is null; attempt++)
        {
            try
            {
                link = mailbox.LinkTo(user.Email, "/account/confirm-email");
            }
            catch (InvalidOperationException)
            {
                await Task.Delay(100);
            }
        }

        using var confirming = Browser(server);
        await confirming.GetPageAsync(link ?? throw new InvalidOperationException($"No confirmation mail reached {server.Outbox}."));
        return user;
    }

    private static async Task LoginAsync(PortalClient browser, TestUser user)
    {
        using var response = await browser.LoginAsync(user);
        browser.AssertStatus(HttpStatusCode.Redirect, response);
    }
}
