using System.Net;
using System.Text.Json;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>The metadata a relying party reads first (OpenID Connect Discovery, RFC 8414) says exactly what the server allows.</summary>
public sealed class DiscoveryTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task OpenIdConfiguration_NamesTheIssuerAndEveryEndpointUnderOidc()
    {
        var metadata = await MetadataAsync("/oidc/.well-known/openid-configuration");

        Assert.Equal(OidcSetup.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal("https://localhost/oidc/auth", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("https://localhost/oidc/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal("https://localhost/oidc/userinfo", metadata.GetProperty("userinfo_endpoint").GetString());
        Assert.Equal("https://localhost/oidc/token/revocation", metadata.GetProperty("revocation_endpoint").GetString());
        Assert.Equal("https://localhost/oidc/token/introspection", metadata.GetProperty("introspection_endpoint").GetString());
        Assert.Equal("https://localhost/oidc/jwks", metadata.GetProperty("jwks_uri").GetString());
        Assert.Equal("https://localhost/oidc/session/end", metadata.GetProperty("end_session_endpoint").GetString());
        Assert.Equal("https://localhost/oidc/par", metadata.GetProperty("pushed_authorization_request_endpoint").GetString());
    }

    [Fact]
    public async Task OpenIdConfiguration_OffersOnlyTheCodeFlowWithS256_AndTheIssParameter()
    {
        var metadata = await MetadataAsync("/oidc/.well-known/openid-configuration");

        Assert.Equal(["S256"], Strings(metadata, "code_challenge_methods_supported"));
        Assert.Equal(["code"], Strings(metadata, "response_types_supported"));
        Assert.Equal(["authorization_code", "refresh_token"], Strings(metadata, "grant_types_supported").Order(StringComparer.Ordinal));
        Assert.True(metadata.GetProperty("authorization_response_iss_parameter_supported").GetBoolean());
        var authMethods = Strings(metadata, "token_endpoint_auth_methods_supported");
        Assert.Contains("client_secret_basic", authMethods);
        Assert.Contains("client_secret_post", authMethods);
        Assert.Contains("none", authMethods);
        // No client can register keys, so private_key_jwt would be a promise the server cannot keep.
        Assert.DoesNotContain("private_key_jwt", authMethods);
        // A public client revokes its own tokens with its client_id alone; introspection needs a secret.
        Assert.Contains("none", Strings(metadata, "revocation_endpoint_auth_methods_supported"));
        Assert.DoesNotContain("none", Strings(metadata, "introspection_endpoint_auth_methods_supported"));
        Assert.DoesNotContain("token", Strings(metadata, "response_types_supported"));
        Assert.DoesNotContain("password", Strings(metadata, "grant_types_supported"));
    }

    [Fact]
    public async Task OAuthAuthorizationServerMetadata_IsServedBesideTheIssuer()
    {
        var metadata = await MetadataAsync("/oidc/.well-known/oauth-authorization-server");

        Assert.Equal(OidcSetup.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal("https://localhost/oidc/token", metadata.GetProperty("token_endpoint").GetString());
        Assert.Equal(["S256"], Strings(metadata, "code_challenge_methods_supported"));
    }

    [Fact]
    public async Task OAuthAuthorizationServerMetadata_IsFoundAtTheRfc8414Location()
    {
        // RFC 8414 §3.1: for issuer https://host/oidc the metadata lives at /.well-known/oauth-authorization-server/oidc,
        // as the document itself (a strict client does not follow a redirect there).
        var metadata = await MetadataAsync("/.well-known/oauth-authorization-server/oidc");

        Assert.Equal(OidcSetup.Issuer, metadata.GetProperty("issuer").GetString());
        Assert.Equal("https://localhost/oidc/token", metadata.GetProperty("token_endpoint").GetString());
    }

    private async Task<JsonElement> MetadataAsync(string path)
    {
        using var server = factory.Backchannel();
        using var response = await server.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await OidcSetup.JsonOfAsync(response);
    }

    private static List<string> Strings(JsonElement metadata, string name) =>
        [.. metadata.GetProperty(name).EnumerateArray().Select(e => e.GetString()!)];
}
