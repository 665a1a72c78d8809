using Microsoft.EntityFrameworkCore;
using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Server-side sessions: logout, password change and "log out everywhere" end them for real.</summary>
public sealed class SessionTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AfterLogout_AReplayedCookieGetsNoAccess()
    {
        var (user, client) = await factory.SignedInUserAsync();
        using (client)
        {
            var userId = (await factory.UserAsync(user.Email)).Id;
            var copied = await client.CookieHeaderAsync();
            using var replay = factory.NewRawClient();
            using (var before = await replay.GetWithCookieAsync("/account", copied))
            {
                // The copied header is a working session before the logout.
                Assert.Equal(HttpStatusCode.OK, before.StatusCode);
            }

            using var logout = await client.SubmitAsync("/account/logout");

            Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
            Assert.Equal("/", logout.Headers.Location!.OriginalString);
            Assert.Equal(0, await factory.SessionCountAsync(userId));
            using var replayed = await replay.GetWithCookieAsync("/account", copied);
            AccountIntents.AssertRedirectsToLogin(replayed);
            using var again = await client.Http.GetAsync(new Uri("/account", UriKind.Relative));
            AccountIntents.AssertRedirectsToLogin(again);
        }
    }

    [Fact]
    public async Task PasswordChange_LogsOutTheOtherClientsOfTheUser_ButKeepsTheCurrentOne()
    {
        var (user, current) = await factory.SignedInUserAsync();
        using (current)
        using (var other = await factory.LoginAsync(user))
        {
            var (_, stranger) = await factory.SignedInUserAsync();
            using (stranger)
            {
                var userId = (await factory.UserAsync(user.Email)).Id;
                Assert.Equal(2, await factory.SessionCountAsync(userId));

                using var response = await current.SubmitSettingsAsync("Password", new Dictionary<string, string>
                {
                    ["Password.CurrentPassword"] = user.Password,
                    ["Password.NewPassword"] = "a changed passphrase",
                });

                Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
                Assert.Equal("/account", response.Headers.Location!.OriginalString);
                var page = await current.FollowAsync(response);
                Assert.Contains("Password changed", page.QuerySelector("[role=status]")!.TextContent, StringComparison.Ordinal);
                using var otherNext = await other.Http.GetAsync(new Uri("/account", UriKind.Relative));
                AccountIntents.AssertRedirectsToLogin(otherNext);
                using var currentNext = await current.Http.GetAsync(new Uri("/account", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, currentNext.StatusCode);
                Assert.Equal(1, await factory.SessionCountAsync(userId));
                // Another user's session is not touched.
                using var strangerNext = await stranger.Http.GetAsync(new Uri("/account", UriKind.Relative));
                Assert.Equal(HttpStatusCode.OK, strangerNext.StatusCode);
                Assert.Equal("Your Kryptos password was changed", factory.Mailbox.LastTo(user.Email).Subject);
            }
        }
    }

    [Fact]
    public async Task LogOutEverywhere_EndsEverySessionOfTheUserIncludingThisOne()
    {
        var (user, current) = await factory.SignedInUserAsync();
        using (current)
        using (var other = await factory.LoginAsync(user))
        {
            var userId = (await factory.UserAsync(user.Email)).Id;
            var stampBefore = (await factory.UserAsync(user.Email)).SecurityStamp;
            var copied = await current.CookieHeaderAsync();

            using var response = await current.SubmitSettingsAsync("SignOutEverywhere");

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/account/login", response.Headers.Location!.OriginalString);
            Assert.Equal(0, await factory.SessionCountAsync(userId));
            Assert.NotEqual(stampBefore, (await factory.UserAsync(user.Email)).SecurityStamp);
            using var currentNext = await current.Http.GetAsync(new Uri("/account", UriKind.Relative));
            AccountIntents.AssertRedirectsToLogin(currentNext);
            using var otherNext = await other.Http.GetAsync(new Uri("/account", UriKind.Relative));
            AccountIntents.AssertRedirectsToLogin(otherNext);
            using var replay = factory.NewRawClient();
            using var replayed = await replay.GetWithCookieAsync("/account", copied);
            AccountIntents.AssertRedirectsToLogin(replayed);

            // Logging in again works.
            using var again = await factory.LoginAsync(user);
            using var settings = await again.Http.GetAsync(new Uri("/account", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        }
    }

    [Fact]
    public async Task LoggingInAsAnotherAccountOverASession_MovesTheSessionToThatAccount()
    {
        var (alice, browser) = await factory.SignedInUserAsync();
        var bob = await factory.SignUpAsync();

        using (var response = await browser.LoginAsync(bob, "/account/login?reauth=true"))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var aliceId = await factory.UserIdAsync(alice);
        var bobId = await factory.UserIdAsync(bob);
        Assert.Equal(0, await factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == aliceId)));
        Assert.Equal(1, await factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == bobId)));
        var settings = await browser.GetPageAsync("/account");
        Assert.Contains(bob.Email, settings.Body!.TextContent, StringComparison.Ordinal);
        browser.Dispose();
    }
}
