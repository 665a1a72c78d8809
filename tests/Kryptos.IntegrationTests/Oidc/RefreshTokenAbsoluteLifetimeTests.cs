using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// A host whose refresh tokens slide for one day, capped at three days from the start of their
/// chain, on a clock the tests move.
/// </summary>
public sealed class ShortRefreshChainFactory : FakeClockFactory
{
    public static readonly TimeSpan Sliding = TimeSpan.FromDays(1);
    public static readonly TimeSpan Cap = TimeSpan.FromDays(3);

    public ShortRefreshChainFactory()
    {
        Settings["Authorization:RefreshTokenLifetime"] = Sliding.ToString();
        Settings["Authorization:RefreshTokenAbsoluteLifetime"] = Cap.ToString();
    }
}

/// <summary>
/// Sliding refresh tokens need an absolute cap (RFC 9700 §4.14.2): a chain of refreshes ends at
/// <c>Authorization:RefreshTokenAbsoluteLifetime</c>, however often it slides; the user signs in again
/// and a new chain starts.
/// </summary>
public sealed class RefreshTokenAbsoluteLifetimeTests(ShortRefreshChainFactory factory) : IClassFixture<ShortRefreshChainFactory>
{
    [Fact]
    public async Task ARefreshChain_SlidesUntilTheCap_ThenEndsWithInvalidGrant()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        // Refreshing every 18 hours keeps the chain alive past a single sliding lifetime …
        var refreshToken = tokens.RefreshToken!;
        for (var i = 0; i < 3; i++)
        {
            factory.Clock.Advance(TimeSpan.FromHours(18));
            var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, refreshToken);
            Assert.True(refreshed.Status == HttpStatusCode.OK, $"Refresh {i + 1} (at {18 * (i + 1)} h) failed: {refreshed.Json}");
            refreshToken = refreshed.RefreshToken!;
        }

        // … but not past the cap (72 h), even though the last token was issued 18 h ago.
        factory.Clock.Advance(TimeSpan.FromHours(18) + TimeSpan.FromMinutes(1));
        var capped = await server.RefreshAsync(client.ClientId, client.Secret, refreshToken);

        Assert.Equal(HttpStatusCode.BadRequest, capped.Status);
        Assert.Equal("invalid_grant", capped.Error);
    }

    [Fact]
    public async Task ARefreshTokenNearTheCap_ExpiresWithItsChain_NotAfterASlidingLifetime()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var chainEnds = factory.Clock.GetUtcNow() + ShortRefreshChainFactory.Cap;
        var refreshed = tokens;
        for (var hours = 20; hours <= 60; hours += 20)
        {
            factory.Clock.Advance(TimeSpan.FromHours(20));
            refreshed = await server.RefreshAsync(client.ClientId, client.Secret, refreshed.RefreshToken!);
            Assert.True(refreshed.Status == HttpStatusCode.OK, $"The refresh at {hours} h failed: {refreshed.Json}");
        }

        var introspection = await server.IntrospectAsync(client.ClientId, client.Secret, refreshed.RefreshToken!);
        Assert.True(introspection.Active);
        var expires = DateTimeOffset.FromUnixTimeSeconds(introspection.Json.GetProperty("exp").GetInt64());
        // A sliding lifetime would end 24 h after this refresh; the chain ends 12 h after it.
        Assert.InRange(expires.ToUnixTimeSeconds(), chainEnds.ToUnixTimeSeconds() - 1, chainEnds.ToUnixTimeSeconds() + 1);
    }

    [Fact]
    public async Task SigningInAgainAfterTheCap_StartsANewChain_OnTheRememberedGrant()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var first = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, first), user);
        using (browser)
        {
            Assert.Equal(HttpStatusCode.OK, (await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), first.Verifier)).Status);

            // The grant is now older than the cap. The user signs in to the app again (the portal
            // session has expired meanwhile): consent is remembered, so the same grant issues the
            // new tokens.
            factory.Clock.Advance(ShortRefreshChainFactory.Cap + TimeSpan.FromHours(1));
            var again = Pkce.Create();
            var secondRedirect = await browser.AuthorizeAsync(OidcIntents.AuthorizeUrl(client.ClientId, again), user);
            var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(secondRedirect), again.Verifier);
            Assert.Equal(HttpStatusCode.OK, tokens.Status);
            factory.Clock.Advance(TimeSpan.FromHours(1));

            var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);

            Assert.True(refreshed.Status == HttpStatusCode.OK, $"The new chain was refused: {refreshed.Json}");
        }
    }
}
