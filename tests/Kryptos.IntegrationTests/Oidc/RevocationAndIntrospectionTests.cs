using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Revocation (RFC 7009) and introspection (RFC 7662) answer only the authenticated client that owns
/// the token: another client learns nothing and revokes nothing.
/// </summary>
public sealed class RevocationAndIntrospectionTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task TheOwningClient_SeesItsAccessTokenActive_WithItsClaims()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        var introspection = await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!);

        Assert.Equal(HttpStatusCode.OK, introspection.Status);
        Assert.True(introspection.Active);
        Assert.Equal(client.ClientId, introspection.Json.GetProperty("client_id").GetString());
        Assert.Equal(OidcSetup.Claim(tokens.AccessToken, "sub"), introspection.Json.GetProperty("sub").GetString());
        Assert.Equal(OidcSetup.Issuer, introspection.Json.GetProperty("iss").GetString());
    }

    [Fact]
    public async Task AnotherClient_IntrospectingTheToken_GetsActiveFalse()
    {
        var client = await factory.PublishClientAsync();
        var other = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        var access = await server.IntrospectAsync(other.ClientId, other.Secret, tokens.AccessToken!);
        var refresh = await server.IntrospectAsync(other.ClientId, other.Secret, tokens.RefreshToken!);

        Assert.False(access.Active);
        Assert.False(refresh.Active);
        Assert.False(access.Json.TryGetProperty("sub", out _));
        Assert.False(refresh.Json.TryGetProperty("sub", out _));
        // Control: the owner still sees them active.
        Assert.True((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
    }

    [Fact]
    public async Task IntrospectionWithoutValidClientCredentials_IsRefused()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        var noSecret = await server.IntrospectAsync(client.ClientId, null, tokens.AccessToken!);
        var wrongSecret = await server.IntrospectAsync(client.ClientId, "kryptos_cs_wrong", tokens.AccessToken!);

        Assert.False(noSecret.Active);
        Assert.Equal("invalid_client", noSecret.Json.GetProperty("error").GetString());
        Assert.False(wrongSecret.Active);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.Status);
        Assert.Equal("invalid_client", wrongSecret.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task AnotherClient_RevokingTheTokens_HasNoEffect()
    {
        var client = await factory.PublishClientAsync();
        var other = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        using (var access = await server.RevokeTokenAsync(other.ClientId, other.Secret, tokens.AccessToken!, "access_token"))
        using (var refresh = await server.RevokeTokenAsync(other.ClientId, other.Secret, tokens.RefreshToken!, "refresh_token"))
        {
            Assert.True((int)access.StatusCode < 500);
            Assert.True((int)refresh.StatusCode < 500);
        }

        Assert.True((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        Assert.Equal(HttpStatusCode.OK, (await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!)).Status);
    }

    [Fact]
    public async Task RevocationWithTheOwnersClientIdButNoSecret_IsRefused_AndRevokesNothing()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        using (var response = await server.RevokeTokenAsync(client.ClientId, null, tokens.RefreshToken!))
        {
            // invalid_client is always 401 here, which RFC 6749 §5.2 allows for every client authentication method.
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("invalid_client", (await OidcSetup.JsonOfAsync(response)).GetProperty("error").GetString());
        }

        Assert.Equal(HttpStatusCode.OK, (await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!)).Status);
    }

    [Fact]
    public async Task RevokingARefreshToken_MakesItUnusable()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        using (var response = await server.RevokeTokenAsync(client.ClientId, client.Secret, tokens.RefreshToken!, "refresh_token"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
        Assert.Equal("invalid_grant", refreshed.Error);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.RefreshToken!)).Active);
    }

    [Fact]
    public async Task RevokingAnAccessToken_MakesItInactive()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        using (var response = await server.RevokeTokenAsync(client.ClientId, client.Secret, tokens.AccessToken!))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
    }

    [Fact]
    public async Task APublicClient_RevokesItsOwnRefreshToken_WithItsClientIdAlone()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Type: "public", RedirectUris: "com.example.app:/callback"));
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, await factory.NewUserAsync(), redirectUri: "com.example.app:/callback");

        using (var response = await server.RevokeTokenAsync(client.ClientId, null, tokens.RefreshToken!))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal("invalid_grant", (await server.RefreshAsync(client.ClientId, null, tokens.RefreshToken!)).Error);
    }
}
