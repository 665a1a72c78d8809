using System.Net;
using Kryptos.Connect.Authorization.Keys;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// JWKS publishes the signing key in use and, ahead of its activation, the next one; tokens are
/// signed with the current key (the one whose activation is in the past), never with the next.
/// Its own host: the test moves the next key's activation forward.
/// </summary>
public sealed class SigningKeyTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task Jwks_PublishesTheCurrentAndTheNextSigningKey_AndTokensAreSignedWithTheCurrentOne()
    {
        // A fresh installation has a current key and a next key that activates a rotation period
        // later; the next key is published PublishAhead (7 days) before that, not yet. Bring that
        // moment forward: the next key now activates in a day, inside its publication window.
        using var server = factory.Backchannel();
        var atStart = await SigningKeyIdsAsync(server);
        var now = DateTimeOffset.UtcNow;
        var moved = await factory.WithDbAsync(db => db.ServerKeys
            .Where(k => k.Use == ServerKeyUse.Signing && k.ActivatesAt > now)
            .ExecuteUpdateAsync(k => k
                .SetProperty(x => x.ActivatesAt, now.AddDays(1))
                .SetProperty(x => x.RetiresAt, now.AddDays(91))
                .SetProperty(x => x.ExpiresAt, now.AddDays(191))));
        Assert.Equal(1, moved);
        await factory.Services.GetRequiredService<ServerKeyRing>().RefreshAsync();
        var signingKeys = await factory.WithDbAsync(db => db.ServerKeys.AsNoTracking().Where(k => k.Use == ServerKeyUse.Signing).ToListAsync());
        var current = signingKeys.Single(k => k.ActivatesAt <= now && now < k.RetiresAt).Id.ToString("N");
        var next = signingKeys.Single(k => k.ActivatesAt > now && k.ActivatesAt < now.AddDays(2)).Id.ToString("N");

        Assert.Contains(current, atStart);
        Assert.DoesNotContain(next, atStart);
        var keys = await SigningKeyIdsAsync(server);
        Assert.True(keys.Count >= 2, $"JWKS lists {keys.Count} signing key(s).");
        Assert.Contains(current, keys);
        Assert.Contains(next, keys);

        var client = await factory.PublishClientAsync();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var handler = new JsonWebTokenHandler();
        Assert.Equal(current, handler.ReadJsonWebToken(tokens.IdToken).Kid);
        Assert.Equal(current, handler.ReadJsonWebToken(tokens.AccessToken).Kid);
    }

    private static async Task<List<string?>> SigningKeyIdsAsync(HttpClient server)
    {
        using var response = await server.GetAsync(new Uri("/oidc/jwks", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return [.. (await OidcSetup.JsonOfAsync(response)).GetProperty("keys").EnumerateArray()
            .Where(k => !k.TryGetProperty("use", out var use) || use.GetString() == "sig")
            .Select(k => k.GetProperty("kid").GetString())];
    }
}
