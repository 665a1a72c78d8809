using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0): the user confirms on our page, the
/// portal session ends for real, and the browser goes back only to a registered post-logout URI.
/// </summary>
public sealed class EndSessionTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const string LoggedOut = "https://app.example.com/logged-out";

    [Fact]
    public async Task WithIdTokenHintAndARegisteredUri_TheUserConfirms_TheSessionEnds_AndTheBrowserReturnsWithState()
    {
        var (_, user, browser, idToken) = await SignedInThroughTheClientAsync();
        using (browser)
        {
            var userId = await factory.UserIdAsync(user);
            var copiedCookie = await browser.CookieHeaderAsync();
            var url = EndSessionUrl(idToken, LoggedOut, "bye-1");

            var page = await browser.GetPageAsync(url);
            Assert.NotNull(page.QuerySelector("button[value='logout']"));
            // Showing the confirmation did not log anyone out.
            using (var stillIn = await browser.Http.GetAsync(new Uri("/account", UriKind.Relative)))
            {
                Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);
            }

            using var response = await browser.SubmitAsync(page, url, new Dictionary<string, string> { ["kryptos_decision"] = "logout" }, "form[action='/oidc/session/end']");

            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var location = response.Headers.Location!;
            Assert.Equal(LoggedOut, location.GetLeftPart(UriPartial.Path));
            Assert.Equal("bye-1", QueryHelpers.ParseQuery(location.Query)["state"].ToString());
            Assert.Equal(0, await factory.SessionCountAsync(userId));
            using var after = await browser.Http.GetAsync(new Uri("/account", UriKind.Relative));
            AccountIntents.AssertRedirectsToLogin(after);
            using var replay = factory.NewRawClient();
            using var replayed = await replay.GetWithCookieAsync("/account", copiedCookie);
            AccountIntents.AssertRedirectsToLogin(replayed);
        }
    }

    [Fact]
    public async Task AnUnregisteredPostLogoutUri_GetsTheErrorPage_NotARedirect()
    {
        var (_, user, browser, idToken) = await SignedInThroughTheClientAsync();
        using (browser)
        {
            using var response = await browser.Http.GetAsync(EndSessionUrl(idToken, "https://evil.example.net/logged-out", "bye-2"));

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Null(response.Headers.Location);
            var page = await PortalClient.ReadPageAsync(response);
            Assert.Null(page.QuerySelector("button[value='logout']"));
            Assert.Contains("not valid", page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
            Assert.Equal(1, await factory.SessionCountAsync(await factory.UserIdAsync(user)));
        }
    }

    [Fact]
    public async Task ALogoutPostWithoutTheFormsAntiforgeryToken_EndsNothing()
    {
        var (_, user, browser, idToken) = await SignedInThroughTheClientAsync();
        using (browser)
        {
            var url = EndSessionUrl(idToken, LoggedOut, "bye-3");
            var page = await browser.GetPageAsync(url);
            page.QuerySelector("form[action='/oidc/session/end'] input[name='__RequestVerificationToken']")!.Remove();

            using var response = await browser.SubmitAsync(page, url, new Dictionary<string, string> { ["kryptos_decision"] = "logout" }, "form[action='/oidc/session/end']");

            Assert.False(response.Headers.Location?.OriginalString.StartsWith(LoggedOut, StringComparison.Ordinal) ?? false);
            Assert.Equal(1, await factory.SessionCountAsync(await factory.UserIdAsync(user)));
        }
    }

    private static string EndSessionUrl(string idToken, string postLogoutUri, string state) =>
        QueryHelpers.AddQueryString("/oidc/session/end", new Dictionary<string, string?>
        {
            ["id_token_hint"] = idToken,
            ["post_logout_redirect_uri"] = postLogoutUri,
            ["state"] = state,
        });

    private async Task<(Clients.CreatedClient Client, TestUser User, PortalClient Browser, string IdToken)> SignedInThroughTheClientAsync()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(PostLogoutRedirectUris: LoggedOut));
        var user = await factory.NewUserAsync();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        using var server = factory.Backchannel();
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        return (client, user, browser, tokens.IdToken!);
    }
}
