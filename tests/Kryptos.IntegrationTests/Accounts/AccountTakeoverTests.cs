using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>
/// Pre-registration takeover: anyone can sign up with someone else's address and stay unverified.
/// Such an account must not hand data to apps, enrol a second factor or join workspaces; and when
/// the real owner resets the password, changes the address or signs out everywhere, everything the
/// account had issued (sessions, grants, refresh and access tokens) stops.
/// </summary>
public sealed class AccountTakeoverTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AnUnverifiedAccount_CannotConsentToAnApp_ItIsAskedToVerifyFirst_ThenCan()
    {
        var client = await factory.PublishClientAsync();
        var squatter = await factory.SignUpAsync(Intents.NewEmail("victim"));
        using var browser = await factory.LoginAsync(squatter);
        var authorize = OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create());

        using var response = await browser.Http.GetAsync(authorize);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var verify = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/account/verify-email?purpose=app&returnUrl=%2Foidc%2Fauth%3F", verify, StringComparison.Ordinal);
        var page = await browser.GetPageAsync(verify);
        Assert.Contains("To connect an app to your Kryptos account", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Equal(0, await GrantCountAsync(squatter));

        // The page can send the verification mail again.
        var mailsBefore = factory.Mailbox.To(squatter.Email).Count;
        using (var resend = await browser.SubmitAsync(verify))
        {
            Assert.Equal(HttpStatusCode.OK, resend.StatusCode);
        }

        Assert.Equal(mailsBefore + 1, factory.Mailbox.To(squatter.Email).Count);

        // Once the mailbox answered, "continue" leads back to the same request, and consent works.
        await factory.VerifyEmailAsync(squatter);
        var continueUrl = page.QuerySelector("a.button")!.GetAttribute("href")!;
        var redirect = await browser.AuthorizeAsync(continueUrl);
        Assert.True(OidcSetup.QueryOf(redirect).ContainsKey("code"));
    }

    [Fact]
    public async Task PromptNone_ForAnUnverifiedAccount_IsInteractionRequired()
    {
        var client = await factory.PublishClientAsync();
        var squatter = await factory.SignUpAsync();
        using var browser = await factory.LoginAsync(squatter);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), state: "pn", extra: new Dictionary<string, string?> { ["prompt"] = "none" }));

        var query = OidcSetup.QueryOf(OidcSetup.RedirectToClient(response));
        Assert.Equal("interaction_required", query["error"]);
        Assert.Equal("pn", query["state"]);
    }

    [Fact]
    public async Task AnUnverifiedAccount_CannotEnrolTwoFactor()
    {
        var squatter = await factory.SignUpAsync();
        using var browser = await factory.LoginAsync(squatter);

        using var page = await browser.Http.GetAsync(new Uri("/account/two-factor", UriKind.Relative));
        using var enable = await browser.PostDirectAsync("/account/two-factor?handler=Enable", [new("code", "123456")]);

        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.StartsWith("/account/verify-email?purpose=two-factor", page.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, enable.StatusCode);
        var user = await factory.UserAsync(squatter.Email);
        Assert.False(user.TwoFactorEnabled);
        Assert.Equal(0, await factory.WithDbAsync(db => db.UserTokens.CountAsync(t => t.UserId == user.Id)));
    }

    [Fact]
    public async Task APasswordReset_RevokesEveryGrantTokenAndSession_OfTheAccount()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user);
        using var session = await factory.LoginAsync(user);

        var link = await factory.RequestResetLinkAsync(user);
        using (var reset = await factory.NewClient().ResetPasswordAsync(link, "a brand new passphrase"))
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
        }

        await AssertEverythingRevokedAsync(server, client, user, tokens, session);
    }

    [Fact]
    public async Task SigningOutEverywhere_RevokesEveryGrantTokenAndSession_OfTheAccount()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user);
        using var session = await factory.LoginAsync(user);
        using var other = await factory.LoginAsync(user);

        using (var response = await other.SubmitSettingsAsync("SignOutEverywhere"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        await AssertEverythingRevokedAsync(server, client, user, tokens, session);
    }

    [Fact]
    public async Task ChangingTheAddress_NeedsTheNewMailbox_ThenRevokesEverything_AndTheNewAddressLogsIn()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user);
        using var session = await factory.LoginAsync(user);
        var newAddress = Intents.NewEmail("moved");

        using (var request = await session.SubmitAsync("/account/email", new Dictionary<string, string>
        {
            ["Input.NewEmail"] = newAddress,
            ["Input.Password"] = user.Password,
        }))
        {
            Assert.Equal(HttpStatusCode.Redirect, request.StatusCode);
        }

        // Nothing changed yet: the old address still works, the apps still do.
        Assert.Equal(user.Email, (await factory.UserAsync(user.Email)).Email);
        Assert.Equal("A change of your Kryptos email address was requested", factory.Mailbox.LastTo(user.Email).Subject);
        Assert.Equal(HttpStatusCode.OK, (await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Status);

        var link = factory.Mailbox.LinkTo(newAddress, "/account/confirm-email-change");
        using (var anyone = factory.NewClient())
        using (var confirm = await anyone.SubmitAsync(link))
        {
            Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
        }

        await AssertEverythingRevokedAsync(server, client, user with { Email = newAddress }, tokens, session);
        Assert.Equal("Your Kryptos email address was changed", factory.Mailbox.LastTo(user.Email).Subject);
        using var oldAddress = factory.NewClient();
        using var loginWithOld = await oldAddress.LoginAsync(user);
        Assert.Equal(HttpStatusCode.OK, loginWithOld.StatusCode);
        using var newLogin = factory.NewClient();
        using var loginWithNew = await newLogin.LoginAsync(user with { Email = newAddress });
        Assert.Equal(HttpStatusCode.Redirect, loginWithNew.StatusCode);
        Assert.True((await factory.UserAsync(newAddress)).EmailConfirmed);
    }

    [Fact]
    public async Task ChangingToAnAddressOfAnotherAccount_AnswersTheSame_AndTellsThatAccountsOwnerInstead()
    {
        var (user, session) = await factory.SignedInUserAsync();
        var other = await factory.NewUserAsync();

        using var response = await session.SubmitAsync("/account/email", new Dictionary<string, string>
        {
            ["Input.NewEmail"] = other.Email,
            ["Input.Password"] = user.Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("Someone tried to sign up with your email", factory.Mailbox.LastTo(other.Email).Subject);
        Assert.DoesNotContain(factory.Mailbox.To(other.Email), m => (m.Subject ?? "").Contains("Confirm your new email", StringComparison.Ordinal));
        Assert.Equal(user.Email, (await factory.UserAsync(user.Email)).Email);
        session.Dispose();
    }

    private async Task AssertEverythingRevokedAsync(HttpClient server, Clients.CreatedClient client, TestUser user, TokenResponse tokens, PortalClient session)
    {
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
        Assert.Equal("invalid_grant", refreshed.Error);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        Assert.Equal(0, await GrantCountAsync(user));
        using var page = await session.Http.GetAsync(new Uri("/workspaces", UriKind.Relative));
        AccountIntents.AssertRedirectsToLogin(page);
    }

    private Task<int> GrantCountAsync(TestUser user) =>
        factory.WithDbAsync(async db =>
        {
            var id = (await db.Users.SingleAsync(u => u.Email == user.Email)).Id.ToString();
            return await db.OAuthGrants.CountAsync(g => g.Subject == id && g.Status == "valid");
        });
}
