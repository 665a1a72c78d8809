using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Kryptos.Connect.Authorization.Keys;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>
/// Tokens signed with the server's real signing key but wrong in one respect each: the signature
/// alone must not let them in. The control (a faithful copy, re-signed) proves the forgery works, so
/// each refusal is the check under test and not a broken forgery.
/// </summary>
public sealed class ForgedTokenTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task AFaithfulCopy_SignedWithTheServersKey_IsAccepted()
    {
        var app = await factory.ConnectAppAsync();

        using var response = await CallWithAsync(app, _ => { });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("issuer")]
    [InlineData("audience")]
    [InlineData("expired")]
    [InlineData("not yet valid")]
    [InlineData("no workspace")]
    [InlineData("unknown grant")]
    [InlineData("no grant")]
    public async Task ATokenWrongInOneRespect_IsRefused(string defect)
    {
        var app = await factory.ConnectAppAsync();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        using var response = await CallWithAsync(app, payload =>
        {
            switch (defect)
            {
                case "issuer": payload["iss"] = "https://evil.example/oidc"; break;
                case "audience": payload["aud"] = "some-other-api"; break;
                case "expired": payload["iat"] = now - 7200; payload["nbf"] = now - 7200; payload["exp"] = now - 3600; break;
                case "not yet valid": payload["iat"] = now + 3600; payload["nbf"] = now + 3600; payload["exp"] = now + 7200; break;
                case "no workspace": payload.Remove("kryptos_workspace"); break;
                case "unknown grant": payload["oi_au_id"] = Guid.NewGuid().ToString(); break;
                case "no grant": payload.Remove("oi_au_id"); break;
            }
        });

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    [Fact]
    public async Task ATokenOfAnotherType_IsRefused()
    {
        var app = await factory.ConnectAppAsync();

        using var response = await CallWithAsync(app, _ => { }, type: "JWT");

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_token");
    }

    private async Task<HttpResponseMessage> CallWithAsync(ConnectedApp app, Action<JsonObject> change, string type = "at+jwt")
    {
        var payload = JsonNode.Parse(Base64UrlEncoder.Decode(app.AccessToken.Split('.')[1]))!.AsObject();
        // Re-serialized with an extra claim, the copy never equals the original token (which is cached).
        payload["copy"] = Guid.NewGuid().ToString();
        change(payload);
        var ring = factory.Services.GetRequiredService<ServerKeyRing>();
        var key = ring.Keys.Single(k => k.SecurityKey.KeyId == OidcSetup.Claim(app.AccessToken, "kid") || k.SecurityKey.KeyId == HeaderKid(app.AccessToken)).SecurityKey;
        var forged = new JsonWebTokenHandler().CreateToken(payload.ToJsonString(), new SigningCredentials(key, SecurityAlgorithms.RsaSha256),
            new Dictionary<string, object> { ["typ"] = type });
        using var http = factory.Backchannel();
        return await http.GetApiAsync("/v1/users/me", forged);
    }

    private static string HeaderKid(string jwt) =>
        JsonNode.Parse(Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(jwt.Split('.')[0])))!["kid"]!.GetValue<string>();
}
