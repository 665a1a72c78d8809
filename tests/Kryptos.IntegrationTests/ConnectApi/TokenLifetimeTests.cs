using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>The validated-token cache never outlives the token: an expired token is refused even after it was cached.</summary>
public sealed class TokenLifetimeTests(FakeClockFactory factory) : IClassFixture<FakeClockFactory>
{
    [Fact]
    public async Task ACachedToken_IsRefusedOnceItExpires()
    {
        var app = await factory.ConnectAppAsync();
        using var http = factory.Backchannel();
        var expiresAt = DateTimeOffset.FromUnixTimeSeconds(long.Parse(OidcSetup.Claim(app.AccessToken, "exp")!, System.Globalization.CultureInfo.InvariantCulture));
        using (var fresh = await http.GetApiAsync("/v1/users/me", app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
        }

        // A second before exp it still works (from the cache) …
        factory.Clock.SetUtcNow(expiresAt.AddSeconds(-1));
        using (var almost = await http.GetApiAsync("/v1/users/me", app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.OK, almost.StatusCode);
        }

        // … and at exp it does not, cached or not.
        factory.Clock.SetUtcNow(expiresAt);
        using var expired = await http.GetApiAsync("/v1/users/me", app.AccessToken);
        await ProblemAsync(expired, HttpStatusCode.Unauthorized, "invalid_token");
        using var again = await http.GetApiAsync("/v1/users/me", app.AccessToken);
        await ProblemAsync(again, HttpStatusCode.Unauthorized, "invalid_token");
    }
}
