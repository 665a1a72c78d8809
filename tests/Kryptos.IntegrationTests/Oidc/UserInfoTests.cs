using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>Userinfo returns the claims the granted scopes allow, and only to a valid bearer token.</summary>
public sealed class UserInfoTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task WithoutEmailScope_NoEmail_WithoutProfileScope_NoName()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        var profileOnly = await factory.TokensForNewUserAsync(server, client, "openid profile");
        var emailOnly = await factory.TokensForNewUserAsync(server, client, "openid email");

        var (status, profile) = await UserInfoAsync(server, profileOnly.AccessToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Grace Hopper", profile.GetProperty("name").GetString());
        Assert.False(profile.TryGetProperty("email", out _));
        Assert.False(profile.TryGetProperty("email_verified", out _));
        (status, var email) = await UserInfoAsync(server, emailOnly.AccessToken);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.EndsWith("@example.com", email.GetProperty("email").GetString(), StringComparison.Ordinal);
        Assert.True(email.GetProperty("email_verified").GetBoolean());
        Assert.False(email.TryGetProperty("name", out _));
        Assert.False(email.TryGetProperty("preferred_username", out _));
        Assert.Equal(OidcSetup.Claim(emailOnly.AccessToken, "sub"), email.GetProperty("sub").GetString());
    }

    [Fact]
    public async Task TheIdToken_CarriesProfileAndEmailClaimsOnlyForTheirScopes()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        var tokens = await factory.TokensForNewUserAsync(server, client, "openid");

        Assert.NotNull(OidcSetup.Claim(tokens.IdToken, "sub"));
        Assert.Null(OidcSetup.Claim(tokens.IdToken, "email"));
        Assert.Null(OidcSetup.Claim(tokens.IdToken, "name"));
        Assert.Null(OidcSetup.Claim(tokens.AccessToken, "email"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.")]
    public async Task AMissingOrInvalidToken_Is401WithBearerChallenge(string? token)
    {
        using var server = factory.Backchannel();

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/oidc/userinfo", UriKind.Relative));
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await server.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(response.Headers.WwwAuthenticate, h => h.Scheme == "Bearer");
    }

    [Fact]
    public async Task AnAccessTokenOfARevokedGrant_Is401()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        Assert.Equal(HttpStatusCode.OK, (await UserInfoAsync(server, tokens.AccessToken)).Status);

        await factory.RevokeGrantAsync((await factory.GrantOfAsync(tokens.AccessToken!)).Id!);

        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(server, tokens.AccessToken)).Status);
    }

    [Fact]
    public async Task TheIdToken_IsNotAnAccessToken()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        Assert.Equal(HttpStatusCode.Unauthorized, (await UserInfoAsync(server, tokens.IdToken)).Status);
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> UserInfoAsync(HttpClient server, string? accessToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/oidc/userinfo", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        using var response = await server.SendAsync(request);
        return (response.StatusCode, await OidcSetup.JsonOfAsync(response));
    }
}
