using System.Globalization;
using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>A host that allows three login attempts per account an hour (and no tight per-IP limit).</summary>
public sealed class PerAccountLimitFactory : KryptosFactory
{
    public const int Permits = 3;

    public PerAccountLimitFactory()
    {
        Settings["Accounts:LoginRateLimit:PermitsPerAccount"] = Permits.ToString(CultureInfo.InvariantCulture);
        Settings["Accounts:LoginRateLimit:Window"] = "01:00:00";
    }
}

/// <summary>The per-account throttle (<c>LoginThrottle</c>): 429 with Retry-After, whatever the client.</summary>
public sealed class LoginRateLimitPerAccountTests(PerAccountLimitFactory factory) : IClassFixture<PerAccountLimitFactory>
{
    [Fact]
    public async Task AttemptsOverTheAccountLimit_Get429WithRetryAfter_EvenWithTheCorrectPasswordAndFromAnotherClient()
    {
        var user = await factory.SignUpAsync();
        using (var attacker = factory.NewClient())
        {
            for (var attempt = 1; attempt <= PerAccountLimitFactory.Permits; attempt++)
            {
                using var failed = await attacker.SubmitLoginAsync(user.Email, $"guess {attempt} of a passphrase");
                Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
            }
        }

        using var owner = factory.NewClient();
        using var rejected = await owner.LoginAsync(user);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var retryAfter = int.Parse(Assert.Single(rejected.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        var page = await PortalClient.ReadPageAsync(rejected);
        Assert.Contains("Too many login attempts", page.FormErrors(), StringComparison.Ordinal);
        Assert.Equal(0, await factory.SessionCountAsync((await factory.UserAsync(user.Email)).Id));
    }

    [Fact]
    public async Task TheAccountLimit_DoesNotStopOtherAccounts()
    {
        var throttled = await factory.SignUpAsync();
        var other = await factory.SignUpAsync();
        using var client = factory.NewClient();
        for (var attempt = 1; attempt <= PerAccountLimitFactory.Permits + 1; attempt++)
        {
            using var failed = await client.SubmitLoginAsync(throttled.Email, $"guess {attempt} of a passphrase");
        }

        using var response = await client.LoginAsync(other);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/workspaces", response.Headers.Location!.OriginalString);
    }

    [Fact]
    public async Task AnUnknownEmail_IsThrottledTheSameWay_SoTheLimitRevealsNoAccount()
    {
        var unknown = Intents.NewEmail("unknown");
        using var client = factory.NewClient();
        for (var attempt = 1; attempt <= PerAccountLimitFactory.Permits; attempt++)
        {
            using var failed = await client.SubmitLoginAsync(unknown, $"guess {attempt} of a passphrase");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var rejected = await client.SubmitLoginAsync(unknown, "one more guess");

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.True(rejected.Headers.Contains("Retry-After"));
    }
}
