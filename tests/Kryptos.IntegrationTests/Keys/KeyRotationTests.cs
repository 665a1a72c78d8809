using System.Net;
using System.Text.Json;
using Kryptos.Connect.Authorization.Keys;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Kryptos.IntegrationTests.Keys;

/// <summary>Signing keys live in the database, the next one is published before it signs, and rotation needs no restart.</summary>
public sealed class KeyRotationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task TheNextKey_IsPublishedBeforeItSigns_ThenTakesOver_WhileTheOldOneStaysPublished()
    {
        using var http = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        var ring = factory.Services.GetRequiredService<ServerKeyRing>();
        var (current, next) = await SigningKeysAsync();
        Assert.DoesNotContain(Kid(next), await JwksKeyIdsAsync(http)); // 90 days away: not yet published

        // Time passes; rather than move the clock, move the schedule. A day before its turn, the
        // next key is published but does not sign yet.
        await MoveScheduleAsync(next, activatesAt: DateTimeOffset.UtcNow.AddDays(1));
        await ring.RefreshAsync();
        var ahead = await JwksKeyIdsAsync(http);
        Assert.Contains(Kid(current), ahead);
        Assert.Contains(Kid(next), ahead);
        Assert.Equal(Kid(current), await IdTokenKeyIdAsync(http));

        // Its turn comes: it signs, and the retired key stays published for tokens it signed.
        await factory.WithDbAsync(db => db.ServerKeys.Where(k => k.Id == current)
            .ExecuteUpdateAsync(k => k.SetProperty(x => x.RetiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
        await MoveScheduleAsync(next, activatesAt: DateTimeOffset.UtcNow.AddSeconds(-1));
        await ring.RefreshAsync();

        Assert.Equal(Kid(next), await IdTokenKeyIdAsync(http));
        var after = await JwksKeyIdsAsync(http);
        Assert.Contains(Kid(current), after);
        Assert.Contains(Kid(next), after);
        // …and the key after it is lined up in the database.
        var now = DateTimeOffset.UtcNow;
        var future = await factory.WithDbAsync(db => db.ServerKeys.CountAsync(k => k.Use == ServerKeyUse.Signing && k.ActivatesAt > now));
        Assert.Equal(1, future);
    }

    private Task<int> MoveScheduleAsync(Guid keyId, DateTimeOffset activatesAt) =>
        factory.WithDbAsync(db => db.ServerKeys.Where(k => k.Id == keyId).ExecuteUpdateAsync(k => k.SetProperty(x => x.ActivatesAt, activatesAt)));

    [Fact]
    public async Task Keys_AreStoredProtected_NeverAsAPlainPrivateKey()
    {
        var stored = await factory.WithDbAsync(db => db.ServerKeys.Select(k => k.ProtectedKey).ToListAsync());

        Assert.NotEmpty(stored);
        Assert.All(stored, value =>
        {
            // A PKCS#8 RSA key starts with the DER bytes 30 82; the protected payload does not.
            var bytes = Convert.FromBase64String(value);
            Assert.False(bytes.Length > 2 && bytes[0] == 0x30 && bytes[1] == 0x82);
        });
    }

    private static string Kid(Guid keyId) => keyId.ToString("N");

    private async Task<(Guid Current, Guid Next)> SigningKeysAsync()
    {
        var keys = await factory.WithDbAsync(db => db.ServerKeys.Where(k => k.Use == ServerKeyUse.Signing).ToListAsync());
        var now = DateTimeOffset.UtcNow;
        var current = keys.Single(k => k.ActivatesAt <= now && now < k.RetiresAt);
        var next = keys.Where(k => k.ActivatesAt > now).MinBy(k => k.ActivatesAt)!;
        return (current.Id, next.Id);
    }

    private static async Task<List<string>> JwksKeyIdsAsync(HttpClient http)
    {
        var jwks = JsonDocument.Parse(await http.GetStringAsync("/oidc/jwks")).RootElement;
        return [.. jwks.GetProperty("keys").EnumerateArray().Where(k => k.GetProperty("use").GetString() == "sig").Select(k => k.GetProperty("kid").GetString()!)];
    }

    private async Task<string> IdTokenKeyIdAsync(HttpClient http)
    {
        var (_, developer) = await factory.SignedInUserAsync();
        var client = await developer.CreateClientAsync(await developer.CreateWorkspaceAsync());
        var (user, browser) = await factory.SignedInUserAsync();
        var pkce = Pkce.Create();
        var redirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        var tokens = await http.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, tokens.Status);
        developer.Dispose();
        browser.Dispose();
        return new JsonWebTokenHandler().ReadJsonWebToken(tokens.IdToken).Kid;
    }
}
