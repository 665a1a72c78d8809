using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Kryptos.Connect.Authorization;
using Kryptos.Connect.Authorization.Keys;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Kryptos.IntegrationTests.Keys;

/// <summary>
/// What only the server reads (codes, refresh tokens) is signed with an HMAC secret and encrypted with
/// an AES secret; what others validate (access and ID tokens) stays RS256 with a published key; the
/// secrets are never published; refresh tokens encrypted with RSA before the change still work
/// (docs/decisions/0013). Its own host: the last test adds a key.
/// </summary>
public sealed class InternalTokenKeysTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private ServerKeyRing Ring => factory.Services.GetRequiredService<ServerKeyRing>();

    [Fact]
    public async Task CodesAndRefreshTokens_UseTheSecrets_AccessAndIdTokens_TheRsaKey()
    {
        var client = await factory.PublishClientAsync();
        var (code, pkce) = await factory.CodeForNewUserAsync(client);
        using var server = factory.Backchannel();
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);

        // The code itself is a reference; the token behind it is stored (protected) in its row.
        var grantId = (await factory.GrantOfAsync(tokens.AccessToken!)).Id;
        var codePayloads = await factory.WithDbAsync(db => db.Set<OAuthToken>().AsNoTracking()
            .Where(t => t.Authorization!.Id == grantId && t.Type!.Contains("code") && t.Payload != null).Select(t => t.Payload!).ToListAsync());
        var codeToken = Assert.Single(codePayloads);
        var signing = CurrentKey(ServerKeyUse.Signing);
        var signingSecret = CurrentKey(ServerKeyUse.SigningSecret);
        var encryptionSecret = CurrentKey(ServerKeyUse.EncryptionSecret);
        foreach (var (name, token) in new[] { ("code", codeToken), ("refresh token", tokens.RefreshToken!) })
        {
            var outer = Header(token);
            Assert.True(outer.GetProperty("alg").GetString() == "A256KW", $"{name}: {outer}");
            Assert.Equal("A256CBC-HS512", outer.GetProperty("enc").GetString());
            Assert.Equal(encryptionSecret.KeyId, outer.GetProperty("kid").GetString());
            var inner = Decrypt(token, encryptionSecret);
            Assert.True(Header(inner).GetProperty("alg").GetString() == "HS256", $"{name}: {Header(inner)}");
            Assert.Equal(signingSecret.KeyId, Header(inner).GetProperty("kid").GetString());
        }

        foreach (var token in new[] { tokens.AccessToken!, tokens.IdToken! })
        {
            Assert.Equal("RS256", Header(token).GetProperty("alg").GetString());
            Assert.Equal(signing.KeyId, Header(token).GetProperty("kid").GetString());
        }
    }

    [Fact]
    public async Task Jwks_AndDiscovery_ListOnlyTheRsaSigningKeys()
    {
        using var server = factory.Backchannel();
        using var jwksResponse = await server.GetAsync(new Uri("/oidc/jwks", UriKind.Relative));
        var jwks = await OidcSetup.JsonOfAsync(jwksResponse);
        using var metadataResponse = await server.GetAsync(new Uri("/oidc/.well-known/openid-configuration", UriKind.Relative));
        var metadata = await OidcSetup.JsonOfAsync(metadataResponse);

        var published = jwks.GetProperty("keys").EnumerateArray().ToList();
        Assert.All(published, key => Assert.Equal("RSA", key.GetProperty("kty").GetString()));
        // A published secret would let anyone mint codes and refresh tokens: no "k" member, no secret's id.
        Assert.DoesNotContain("\"k\"", jwks.GetRawText(), StringComparison.Ordinal);
        var secretIds = Ring.Keys.Where(k => k.Key.Use is ServerKeyUse.SigningSecret or ServerKeyUse.EncryptionSecret).Select(k => k.SecurityKey.KeyId).ToList();
        Assert.NotEmpty(secretIds);
        Assert.DoesNotContain(published, key => secretIds.Contains(key.GetProperty("kid").GetString() ?? ""));
        Assert.Equal(["RS256"], metadata.GetProperty("id_token_signing_alg_values_supported").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public async Task ARefreshTokenEncryptedWithAnRsaKeyBeforeTheSecrets_StillRefreshes()
    {
        // An RSA encryption key as earlier versions stored it, protected the same way.
        using var rsa = RSA.Create(2048);
        var protector = factory.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Kryptos.Connect.ServerKeys.v1");
        var now = DateTimeOffset.UtcNow;
        var legacy = new ServerKey
        {
            Use = ServerKeyUse.Encryption,
            Generation = 0,
            ProtectedKey = Convert.ToBase64String(protector.Protect(rsa.ExportPkcs8PrivateKey())),
            CreatedAt = now.AddDays(-10),
            ActivatesAt = now.AddDays(-10),
            RetiresAt = now.AddDays(80),
            ExpiresAt = now.AddDays(180),
        };
        await factory.WithDbAsync(db =>
        {
            db.ServerKeys.Add(legacy);
            return db.SaveChangesAsync();
        });
        await Ring.RefreshAsync();

        // A refresh token as the old version issued it: the same signed token, encrypted with RSA-OAEP.
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var inner = Decrypt(tokens.RefreshToken!, CurrentKey(ServerKeyUse.EncryptionSecret));
        var outer = Header(tokens.RefreshToken!);
        var rsaKey = (RsaSecurityKey)Ring.Keys.Single(k => k.Key.Id == legacy.Id).SecurityKey;
        var old = new JsonWebTokenHandler().EncryptToken(inner, new EncryptingCredentials(rsaKey, SecurityAlgorithms.RsaOAEP, SecurityAlgorithms.Aes256CbcHmacSha512),
            new Dictionary<string, object> { ["typ"] = outer.GetProperty("typ").GetString()! });
        Assert.Equal("RSA-OAEP", Header(old).GetProperty("alg").GetString());

        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, old);

        Assert.True(refreshed.Status == HttpStatusCode.OK, refreshed.Json.ToString());
        // New tokens are encrypted with the secret again.
        Assert.Equal("A256KW", Header(refreshed.RefreshToken!).GetProperty("alg").GetString());
    }

    private SecurityKey CurrentKey(ServerKeyUse use)
    {
        var now = DateTimeOffset.UtcNow;
        return Ring.Keys.Single(k => k.Key.Use == use && k.Key.ActivatesAt <= now && now < k.Key.RetiresAt).SecurityKey;
    }

    private static JsonElement Header(string token) =>
        JsonDocument.Parse(Base64UrlEncoder.Decode(token[..token.IndexOf('.', StringComparison.Ordinal)])).RootElement.Clone();

    /// <summary>The signed token inside a JWE, decrypted with <paramref name="key"/> (A256KW).</summary>
    private static string Decrypt(string jwe, SecurityKey key) =>
        new JsonWebTokenHandler().DecryptToken(new JsonWebToken(jwe), new TokenValidationParameters { TokenDecryptionKeys = [key] });
}
