using System.Net;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.ConnectApi;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using MimeKit;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// What the server acknowledged before a <c>kill -9</c> holds after the restart: the real built host as
/// a process (<see cref="HostProcess"/>), killed with SIGKILL right after a 200, then started again on
/// the same database, on SQLite or (with KRYPTOS_TEST_POSTGRES) PostgreSQL. An answer sent before the
/// write is committed, a write-behind buffer, or keys kept only in memory would each fail a check here.
/// </summary>
public sealed class KillDurabilityTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(5);

    private const string Scope = "openid offline_access users:read";

    [Fact]
    public async Task WhatWasAcknowledgedBeforeAKill9_HoldsAfterTheRestart()
    {
        await using var root = HostRoot.Create();
        TestUser user;
        CreatedClient client;
        string cookies;
        TokenResponse issued;
        TokenResponse refreshed;

        // 1. Sign up, publish a client, authorize it, refresh once (R1 -> R2), and kill -9 at once.
        await using (var host = await StartAsync(root))
        {
            using var browser = host.NewBrowser();
            user = await SignUpAndLogInAsync(root, browser);
            var workspaceId = await browser.CreateWorkspaceAsync("Acme Publishing");
            client = await browser.RegisterClientAsync(workspaceId, new ClientSpec());
            using var server = host.NewBackchannel();
            issued = await TokensAsync(browser, server, client);
            cookies = await browser.CookieHeaderAsync();

            refreshed = await server.RefreshAsync(client.ClientId, client.Secret, issued.RefreshToken!);
            Assert.True(refreshed.Status == HttpStatusCode.OK, $"{(int)refreshed.Status} {refreshed.Json}{Environment.NewLine}{host.LoggedErrors}");
            await KillAsync(host);
        }

        // 2. After the restart: the session, the keys, R2, and the replay of R1; then a revocation, and kill -9 at once.
        TokenResponse revoked;
        await using (var host = await StartAsync(root))
        {
            // The session cookie is still accepted: the Data Protection keys and the session survived.
            using (var raw = host.NewBackchannel())
            using (var account = await raw.GetWithCookieAsync("/account", cookies))
            {
                var page = await PortalClient.ReadPageAsync(account, HttpStatusCode.OK);
                Assert.Contains(user.Email, page.Body!.TextContent, StringComparison.Ordinal);
            }

            using var server = host.NewBackchannel();
            // The access token from before the kill is still accepted: the signing keys survived.
            using (var me = await server.GetApiAsync("/v1/users/me", issued.AccessToken))
            {
                Assert.True(me.StatusCode == HttpStatusCode.OK, $"{(int)me.StatusCode} {await me.Content.ReadAsStringAsync()}{Environment.NewLine}{host.LoggedErrors}");
            }

            // R2, issued just before the kill, was stored: it refreshes.
            var third = await server.RefreshAsync(client.ClientId, client.Secret, refreshed.RefreshToken!);
            Assert.True(third.Status == HttpStatusCode.OK, $"{(int)third.Status} {third.Json}{Environment.NewLine}{host.LoggedErrors}");

            // R1's redemption was stored too: using it again is a replay, refused, and it revokes the grant,
            // R2's successor (R3) and the access token included.
            var replay = await server.RefreshAsync(client.ClientId, client.Secret, issued.RefreshToken!);
            Assert.Equal(HttpStatusCode.BadRequest, replay.Status);
            Assert.Equal("invalid_grant", replay.Error);
            var successor = await server.RefreshAsync(client.ClientId, client.Secret, third.RefreshToken!);
            Assert.Equal("invalid_grant", successor.Error);
            await ApiIntents.WithinAsync(RevocationDeadline, async () =>
            {
                using var me = await server.GetApiAsync("/v1/users/me", issued.AccessToken);
                return me.StatusCode == HttpStatusCode.Unauthorized;
            }, "the access token of the replayed grant refused");

            // A new grant from the browser of before the kill (its session holds: no login on the way);
            // its tokens revoked at /oidc/token/revocation, each acknowledged with 200, and kill -9 right
            // after the last one.
            using var browser = host.NewBrowser(cookies);
            revoked = await TokensAsync(browser, server, client);
            using (var me = await server.GetApiAsync("/v1/users/me", revoked.AccessToken))
            {
                Assert.Equal(HttpStatusCode.OK, me.StatusCode);
            }

            foreach (var token in new[] { revoked.RefreshToken!, revoked.AccessToken! })
            {
                using var revocation = await server.RevokeTokenAsync(client.ClientId, client.Secret, token);
                Assert.Equal(HttpStatusCode.OK, revocation.StatusCode);
            }

            await KillAsync(host);
        }

        // 3. After the second restart the revocations are in force.
        await using (var host = await StartAsync(root))
        {
            using var server = host.NewBackchannel();
            var refresh = await server.RefreshAsync(client.ClientId, client.Secret, revoked.RefreshToken!);
            Assert.Equal(HttpStatusCode.BadRequest, refresh.Status);
            Assert.Equal("invalid_grant", refresh.Error);
            using var me = await server.GetApiAsync("/v1/users/me", revoked.AccessToken);
            Assert.Equal(HttpStatusCode.Unauthorized, me.StatusCode);
        }
    }

    private static async Task<HostProcess> StartAsync(HostRoot root)
    {
        var host = HostProcess.Start("Production", new Dictionary<string, string?>
        {
            ["Hosting:PublicOrigin"] = "https://localhost",
            ["Hosting:TrustedProxies:0"] = "127.0.0.1",
            ["Hosting:DataProtection:CertificatePath"] = TestCertificate.Path,
            ["Hosting:DataProtection:CertificatePassword"] = TestCertificate.Password,
            ["Pruning:Enabled"] = "false",
        }, root);
        if (!await host.WaitUntilLiveAsync(StartTimeout))
        {
            var output = host.Output;
            await host.DisposeAsync();
            Assert.Fail($"The host did not start:{Environment.NewLine}{output}");
        }

        return host;
    }

    /// <summary>SIGKILL, and proof that it was one: the host had started and logged no shutdown.</summary>
    private static async Task KillAsync(HostProcess host)
    {
        await host.KillAsync();
        Assert.Contains("Application started", host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Application is shutting down", host.Output, StringComparison.Ordinal);
    }

    private static async Task<TestUser> SignUpAndLogInAsync(HostRoot root, PortalClient browser)
    {
        var user = new TestUser(Intents.NewEmail(), Intents.DefaultPassword, "Ada Lovelace");
        using (var signUp = await browser.SubmitSignUpAsync(user.Name, user.Email, user.Password))
        {
            browser.AssertStatus(HttpStatusCode.Redirect, signUp);
        }

        var confirmed = await browser.GetPageAsync(await LinkAsync(root, user.Email, "/account/confirm-email"));
        Assert.Contains("Email verified", confirmed.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        using (var login = await browser.LoginAsync(user))
        {
            browser.AssertStatus(HttpStatusCode.Redirect, login);
        }

        return user;
    }

    private static async Task<TokenResponse> TokensAsync(PortalClient browser, HttpClient server, CreatedClient client)
    {
        var pkce = Pkce.Create();
        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, Scope));
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        Assert.True(tokens.Status == HttpStatusCode.OK, $"The code was not redeemed: {(int)tokens.Status} {tokens.Json}{Environment.NewLine}{browser.ServerErrors}");
        return tokens;
    }

    /// <summary>The newest link to <paramref name="path"/> mailed to <paramref name="email"/>, once the host's queue has written it.</summary>
    private static async Task<string> LinkAsync(HostRoot root, string email, string path)
    {
        var mailbox = new Mailbox(Path.Combine(root.Path, "outbox"));
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return mailbox.LinkTo(email, path);
            }
            catch (Exception e) when (attempt < 120 && e is InvalidOperationException or IOException or FormatException or ParseException)
            {
                // Not written yet, or being written.
                await Task.Delay(250);
            }
        }
    }
}
