using System.Net;
using System.Net.Http.Headers;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>
/// Who gets in at /v1: an access token from our server, in the Authorization header, with the
/// resource's scope. Everything else is 401 (RFC 6750 §3) or 403 insufficient_scope, as problem details.
/// </summary>
public sealed class ApiAuthenticationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task NoToken_Is401WithABareBearerChallenge()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/users/me", accessToken: null);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task AnotherScheme_IsTreatedAsNoToken()
    {
        using var http = factory.Backchannel();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");

        using var response = await http.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Theory]
    [InlineData("garbage")]
    [InlineData("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")]
    [InlineData("a\u00e9b")]
    public async Task AGarbageToken_Is401InvalidToken(string token)
    {
        using var http = factory.Backchannel();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);

        using var response = await http.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
        Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AHugeToken_Is401_NotAnError()
    {
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/users/me", new string('a', 20_000));

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task AValidToken_ReadsTheUser()
    {
        var app = await factory.ConnectAppAsync(userName: "Katherine Johnson");
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/users/me", app.AccessToken);

        var me = (await JsonAsync(response)).GetProperty("data");
        Assert.Equal((await factory.UserIdAsync(app.User)).ToString(), me.GetProperty("id").GetString());
        Assert.Equal("Katherine Johnson", me.GetProperty("displayName").GetString());
        Assert.Equal(app.User.Email, me.GetProperty("email").GetString());
        Assert.True(me.GetProperty("emailVerified").GetBoolean());
        Assert.Equal("en", me.GetProperty("language").GetString());
        Assert.EndsWith("Z", me.GetProperty("createdAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheEmailScope_TheEmailIsNull()
    {
        var app = await factory.ConnectAppAsync("openid users:read");
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/users/me", app.AccessToken);

        var me = (await JsonAsync(response)).GetProperty("data");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("email").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, me.GetProperty("emailVerified").ValueKind);
    }

    [Fact]
    public async Task AMissingScope_Is403InsufficientScope_NamingTheScope()
    {
        var app = await factory.ConnectAppAsync("openid users:read");
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/workspace", app.AccessToken);

        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal("workspace:read", problem.GetProperty("scope").GetString());
        var challenge = response.Headers.WwwAuthenticate.ToString();
        Assert.StartsWith("Bearer error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
        Assert.Contains("scope=\"workspace:read\"", challenge, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATokenWithoutApiScopes_HasNoApiAudience_AndIsRefused()
    {
        // openid + profile only: the server gives such a token no audience, so it is not for the API.
        var app = await factory.ConnectAppAsync("openid profile");
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/users/me", app.AccessToken);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task ATokenInTheQueryString_IsRefused_EvenWithAValidHeader()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();

        using (var queryOnly = await http.GetApiAsync("/v1/users/me?access_token=" + app.AccessToken, accessToken: null))
        {
            await ProblemAsync(queryOnly, HttpStatusCode.Unauthorized, "invalid_request");
            Assert.StartsWith("Bearer error=\"invalid_request\"", queryOnly.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using var both = await http.GetApiAsync("/v1/users/me?access_token=" + app.AccessToken, app.AccessToken);
        await ProblemAsync(both, HttpStatusCode.Unauthorized, "invalid_request");
    }

    [Fact]
    public async Task ATokenInAFormBody_IsRefused()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["access_token"] = app.AccessToken }),
        };

        using var response = await http.SendAsync(request);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_request");
    }

    [Fact]
    public async Task ATamperedSignature_IsRefused_EvenAfterTheRealTokenWasCached()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        using (var ok = await http.GetApiAsync("/v1/users/me", app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        var parts = app.AccessToken.Split('.');
        var signature = parts[2].ToCharArray();
        signature[10] = signature[10] == 'A' ? 'B' : 'A';
        var tampered = $"{parts[0]}.{parts[1]}.{new string(signature)}";

        using var response = await http.GetApiAsync("/v1/users/me", tampered);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task AnIdToken_IsNotAnAccessToken()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/users/me", app.Tokens.IdToken);

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task TheWorkspace_IsTheOneTheTokenIsBoundTo()
    {
        var app = await factory.ConnectAppAsync(userName: "Mary Jackson");
        using var http = factory.Backchannel();

        using var response = await http.GetApiAsync("/v1/workspace", app.AccessToken);

        var workspace = (await JsonAsync(response)).GetProperty("data");
        Assert.Equal(OidcSetup.Claim(app.AccessToken, "kryptos_workspace"), workspace.GetProperty("id").GetString());
        Assert.Equal("Mary Jackson's workspace", workspace.GetProperty("name").GetString());
        Assert.Equal("USD", workspace.GetProperty("baseCurrency").GetString());
        Assert.Equal("FIFO", workspace.GetProperty("costBasisMethod").GetString());
    }
}
