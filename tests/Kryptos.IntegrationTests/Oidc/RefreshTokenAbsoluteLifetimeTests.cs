using System.Diagnostics;
using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>A host whose refresh tokens slide for 6 seconds, capped at 6 seconds from the start of their chain.</summary>
public sealed class ShortRefreshChainFactory : KryptosFactory
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(6);

    public ShortRefreshChainFactory()
    {
        Settings["Authorization:RefreshTokenLifetime"] = Lifetime.ToString();
        Settings["Authorization:RefreshTokenAbsoluteLifetime"] = Lifetime.ToString();
    }
}

/// <summary>
/// Sliding refresh tokens need an absolute cap (SECURITY.md): a chain of refreshes ends at
/// <c>Authorization:RefreshTokenAbsoluteLifetime</c>, even while its newest token is unexpired;
/// the user signs in again and a new chain starts.
/// </summary>
public sealed class RefreshTokenAbsoluteLifetimeTests(ShortRefreshChainFactory factory) : IClassFixture<ShortRefreshChainFactory>
{
    [Fact]
    public async Task ARefreshChain_EndsAtTheAbsoluteLifetime_EvenWithAnUnexpiredRefreshToken()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var chain = Stopwatch.StartNew();

        // Halfway: the refresh works and slides: the new token is valid for another 6 s …
        await WaitUntilAsync(chain, TimeSpan.FromSeconds(3));
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);

        // … but 7.5 s after the chain started it is past the 6 s cap while still unexpired (until ~9 s).
        await WaitUntilAsync(chain, TimeSpan.FromSeconds(7.5));
        var capped = await server.RefreshAsync(client.ClientId, client.Secret, refreshed.RefreshToken!);

        Assert.Equal(HttpStatusCode.BadRequest, capped.Status);
        Assert.Equal("invalid_grant", capped.Error);
    }

    [Fact]
    public async Task ARefreshTokenNearTheCap_ExpiresWithItsChain_NotAfterASlidingLifetime()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var chainEnds = DateTimeOffset.UtcNow + ShortRefreshChainFactory.Lifetime;
        await Task.Delay(TimeSpan.FromSeconds(2));

        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, refreshed.Status);

        var introspection = await server.IntrospectAsync(client.ClientId, client.Secret, refreshed.RefreshToken!);
        Assert.True(introspection.Active);
        var expires = DateTimeOffset.FromUnixTimeSeconds(introspection.Json.GetProperty("exp").GetInt64());
        // A sliding lifetime would end ~6 s after the refresh; the chain ends ~4 s after it.
        Assert.True(expires <= chainEnds.AddSeconds(1), $"The refresh token expires at {expires:O}, after its chain ({chainEnds:O}).");
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
            var consented = Stopwatch.StartNew();
            Assert.Equal(HttpStatusCode.OK, (await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), first.Verifier)).Status);

            // The grant is now older than the cap. The user signs in to the app again: consent is
            // remembered, so the same grant issues the new tokens.
            await WaitUntilAsync(consented, ShortRefreshChainFactory.Lifetime + TimeSpan.FromSeconds(1));
            var again = Pkce.Create();
            using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, again));
            var code = OidcIntents.CodeFrom(OidcSetup.RedirectToClient(response));
            var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, again.Verifier);
            Assert.Equal(HttpStatusCode.OK, tokens.Status);

            var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);

            Assert.True(refreshed.Status == HttpStatusCode.OK, $"The new chain was refused: {refreshed.Json}");
        }
    }

    private static async Task WaitUntilAsync(Stopwatch clock, TimeSpan at)
    {
        var remaining = at - clock.Elapsed;
        if (remaining > TimeSpan.Zero)
        {
            await Task.Delay(remaining);
        }
    }
}
