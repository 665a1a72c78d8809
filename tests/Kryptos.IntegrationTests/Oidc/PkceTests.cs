using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// PKCE (RFC 7636) is required for every client, S256 only; the verifier must match the challenge. A
/// request without a proper challenge goes back to the client's verified redirect URI as
/// invalid_request (RFC 7636 §4.4.1), with state and iss.
/// </summary>
public sealed class PkceTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AnAuthorizationRequestWithoutCodeChallenge_GoesBackToTheClient_AsInvalidRequest()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: new Dictionary<string, string?>
        {
            ["code_challenge"] = null,
            ["code_challenge_method"] = null,
        }));

        OidcSetup.AssertErrorRedirect(response, "invalid_request");
    }

    [Fact]
    public async Task ThePlainChallengeMethod_GoesBackToTheClient_AsInvalidRequest()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);
        var pkce = Pkce.Create();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, extra: new Dictionary<string, string?>
        {
            ["code_challenge"] = pkce.Verifier,
            ["code_challenge_method"] = "plain",
        }));

        OidcSetup.AssertErrorRedirect(response, "invalid_request");
    }

    [Fact]
    public async Task AChallengeWithoutMethod_IsNotTakenAsPlain()
    {
        // RFC 7636 §4.3: a missing method means "plain"; with plain removed such a request must fail.
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);
        var pkce = Pkce.Create();

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, extra: new Dictionary<string, string?>
        {
            ["code_challenge"] = pkce.Verifier,
            ["code_challenge_method"] = null,
        }));

        OidcSetup.AssertErrorRedirect(response, "invalid_request");
    }

    [Fact]
    public async Task AWrongCodeVerifier_IsInvalidGrant()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        browser.Dispose();
        using var server = factory.Backchannel();
        var code = OidcIntents.CodeFrom(redirect);

        var wrong = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, Pkce.Create().Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal("invalid_grant", wrong.Error);
        Assert.Null(wrong.AccessToken);
    }

    [Fact]
    public async Task RedeemingACodeWithoutTheVerifier_IsRefused()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        browser.Dispose();
        using var server = factory.Backchannel();

        var tokens = await server.TokenAsync(client.ClientId, client.Secret, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = OidcIntents.CodeFrom(redirect),
            ["redirect_uri"] = Clients.ClientIntents.DefaultRedirectUri,
        });

        Assert.Equal(HttpStatusCode.BadRequest, tokens.Status);
        Assert.True(tokens.Error is "invalid_request" or "invalid_grant", $"Unexpected error {tokens.Error}.");
        Assert.Null(tokens.AccessToken);
    }

    [Fact]
    public async Task AVerifierCanNeverMeetAMissingChallenge_EvenForAClientWhosePkceRequirementWasRemoved()
    {
        // A code_verifier can only be presented for a code, and no code is issued without a
        // code_challenge: PKCE is required server-wide, not only by the client's own requirements.
        var client = await factory.PublishClientAsync();
        await factory.WithDbAsync(db => db.OAuthClients.Where(c => c.ClientId == client.ClientId)
            .ExecuteUpdateAsync(c => c.SetProperty(x => x.Requirements, "[]")));
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: new Dictionary<string, string?>
        {
            ["code_challenge"] = null,
            ["code_challenge_method"] = null,
        }));

        OidcSetup.AssertErrorRedirect(response, "invalid_request");
    }

    [Fact]
    public async Task APushedAuthorizationRequestWithoutCodeChallenge_IsRefused()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        using var response = await server.PostWithClientAsync("/oidc/par", client.ClientId, client.Secret, new Dictionary<string, string>
        {
            ["response_type"] = "code",
            ["redirect_uri"] = Clients.ClientIntents.DefaultRedirectUri,
            ["scope"] = "openid",
            ["state"] = "xyz",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("invalid_request", (await OidcSetup.JsonOfAsync(response)).GetProperty("error").GetString());
    }
}
