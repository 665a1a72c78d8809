using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// The shape of token endpoint answers: never cached (RFC 6749 §5.1), errors as JSON with a
/// registered <c>error</c> code (§5.2), and only the two allowed grant types.
/// </summary>
public sealed class TokenEndpointResponseTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task ASuccessfulTokenResponse_IsNotCached_AndIsABearerToken()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        var tokens = await factory.TokensForNewUserAsync(server, client);

        Assert.Equal("no-store", tokens.Response.Headers.CacheControl?.ToString());
        Assert.Equal("application/json", tokens.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", tokens.Json.GetProperty("token_type").GetString());
        Assert.InRange(tokens.Json.GetProperty("expires_in").GetInt32(), 3000, 3600);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("client_credentials")]
    [InlineData("urn:ietf:params:oauth:grant-type:device_code")]
    [InlineData("implicit")]
    public async Task AGrantTypeOtherThanCodeOrRefresh_IsUnsupported(string grantType)
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        var response = await server.TokenAsync(client.ClientId, client.Secret, new Dictionary<string, string>
        {
            ["grant_type"] = grantType,
            ["username"] = "someone@example.com",
            ["password"] = "secret",
        });

        AssertOAuthError(response, HttpStatusCode.BadRequest, "unsupported_grant_type");
    }

    [Fact]
    public async Task AnUnknownCode_IsAnInvalidGrantErrorInJson_AndNotCached()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        var response = await server.RedeemCodeAsync(client.ClientId, client.Secret, "not-a-code", Pkce.Create().Verifier);

        AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal("no-store", response.Response.Headers.CacheControl?.ToString());
    }

    [Fact]
    public async Task AMissingGrantType_IsInvalidRequest()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        var response = await server.TokenAsync(client.ClientId, client.Secret, new Dictionary<string, string> { ["code"] = "x" });

        AssertOAuthError(response, HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task AnUnknownClient_IsInvalidClient()
    {
        using var server = factory.Backchannel();

        var response = await server.RedeemCodeAsync("kc_doesnotexist", "kryptos_cs_whatever", "not-a-code", Pkce.Create().Verifier);

        AssertOAuthError(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    private static void AssertOAuthError(TokenResponse response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.Status);
        Assert.Equal("application/json", response.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(error, response.Error);
        Assert.Null(response.AccessToken);
    }
}
