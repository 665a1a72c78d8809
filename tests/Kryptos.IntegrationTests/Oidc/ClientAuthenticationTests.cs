using System.Net;
using Kryptos.Connect.Hosting;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Client authentication at the token endpoint: client_secret_basic, client_secret_post, and none
/// (+PKCE) for public clients; any active secret (rotation grace) works, a revoked one does not; a
/// disabled client can do nothing.
/// </summary>
public sealed class ClientAuthenticationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AConfidentialClient_AuthenticatesWithBasicOrPost(bool basic)
    {
        var client = await factory.PublishClientAsync();
        var (code, verifier) = await CodeForNewUserAsync(client);
        using var server = factory.Backchannel();

        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, verifier, basicAuth: basic);

        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        Assert.NotNull(tokens.AccessToken);
        Assert.Equal(client.ClientId, OidcSetup.Claim(tokens.AccessToken, "client_id"));
    }

    [Fact]
    public async Task AWrongSecretInTheAuthorizationHeader_Is401InvalidClient()
    {
        var client = await factory.PublishClientAsync();
        var (code, verifier) = await CodeForNewUserAsync(client);
        using var server = factory.Backchannel();

        var tokens = await server.RedeemCodeAsync(client.ClientId, "kryptos_cs_wrong", code, verifier);

        Assert.Equal(HttpStatusCode.Unauthorized, tokens.Status);
        Assert.Equal("invalid_client", tokens.Error);
        Assert.Null(tokens.AccessToken);
    }

    [Fact]
    public async Task AWrongSecretInTheForm_IsInvalidClient()
    {
        var client = await factory.PublishClientAsync();
        var (code, verifier) = await CodeForNewUserAsync(client);
        using var server = factory.Backchannel();

        var tokens = await server.RedeemCodeAsync(client.ClientId, "kryptos_cs_wrong", code, verifier, basicAuth: false);

        // invalid_client is always 401 here, which RFC 6749 §5.2 allows for every client authentication method.
        Assert.Equal(HttpStatusCode.Unauthorized, tokens.Status);
        Assert.Equal("invalid_client", tokens.Error);
        // The failed attempt did not burn the code: the real secret still redeems it.
        Assert.Equal(HttpStatusCode.OK, (await server.RedeemCodeAsync(client.ClientId, client.Secret, code, verifier)).Status);
    }

    [Fact]
    public async Task AConfidentialClientWithoutItsSecret_IsInvalidClient()
    {
        var client = await factory.PublishClientAsync();
        var (code, verifier) = await CodeForNewUserAsync(client);
        using var server = factory.Backchannel();

        var tokens = await server.RedeemCodeAsync(client.ClientId, null, code, verifier);

        // invalid_client is always 401 here, which RFC 6749 §5.2 allows for every client authentication method.
        Assert.Equal(HttpStatusCode.Unauthorized, tokens.Status);
        Assert.Equal("invalid_client", tokens.Error);
    }

    [Fact]
    public async Task APublicClient_UsesNoneWithPkce()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Type: "public", RedirectUris: "com.example.app:/callback"));
        Assert.Null(client.Secret);
        using var server = factory.Backchannel();

        var tokens = await factory.TokensAsync(server, client, await factory.NewUserAsync(), redirectUri: "com.example.app:/callback");

        Assert.NotNull(tokens.AccessToken);
        Assert.NotNull(tokens.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await server.RefreshAsync(client.ClientId, null, tokens.RefreshToken!)).Status);
    }

    [Fact]
    public async Task ASecretInItsRotationGracePeriod_StillWorks_UntilItIsRevoked()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        using (developer)
        {
            var rotated = await developer.RotateSecretAsync(client, "24h");
            using var server = factory.Backchannel();

            var (code, verifier) = await CodeForNewUserAsync(client);
            var old = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, verifier);
            Assert.Equal(HttpStatusCode.OK, old.Status);
            Assert.Equal(HttpStatusCode.OK, (await server.RefreshAsync(client.ClientId, rotated, old.RefreshToken!)).Status);

            var oldId = await factory.WithDbAsync(db => db.ClientSecrets.Where(s => s.Hash == SecureTokens.Hash(client.Secret!)).Select(s => s.Id).SingleAsync());
            using (var revoke = await developer.SubmitAsync(client.DetailsUrl, new Dictionary<string, string> { ["secretId"] = oldId.ToString() }, "form[action*='handler=RevokeSecret']"))
            {
                developer.AssertStatus(HttpStatusCode.Redirect, revoke);
            }

            (code, verifier) = await CodeForNewUserAsync(client);
            var revoked = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, verifier);
            Assert.Equal(HttpStatusCode.Unauthorized, revoked.Status);
            Assert.Equal("invalid_client", revoked.Error);
            Assert.Equal(HttpStatusCode.OK, (await server.RedeemCodeAsync(client.ClientId, rotated, code, verifier)).Status);
        }
    }

    [Fact]
    public async Task ADisabledClient_CannotStartAFlow()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        using (developer)
        {
            await developer.DisableClientAsync(client);
        }

        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create()));

        // The client and its redirect URI are known: the refusal goes back to it (RFC 6749 §4.1.2.1).
        OidcSetup.AssertErrorRedirect(response, "unauthorized_client");
    }

    [Fact]
    public async Task ADisabledClient_CannotRedeemACodeObtainedBefore_NorRefresh()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        using (developer)
        {
            using var server = factory.Backchannel();
            var earlier = await factory.TokensForNewUserAsync(server, client);
            var (code, verifier) = await CodeForNewUserAsync(client);

            await developer.DisableClientAsync(client);

            // Disabling revoked every token of the client, the pending code included.
            var redeemed = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, verifier);
            Assert.Equal(HttpStatusCode.BadRequest, redeemed.Status);
            Assert.Equal("invalid_grant", redeemed.Error);
            Assert.Null(redeemed.AccessToken);
            var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, earlier.RefreshToken!);
            Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
            Assert.Null(refreshed.AccessToken);
        }
    }

    private async Task<(string Code, string Verifier)> CodeForNewUserAsync(CreatedClient client)
    {
        var user = await factory.NewUserAsync();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        browser.Dispose();
        return (OidcIntents.CodeFrom(redirect), pkce.Verifier);
    }
}
