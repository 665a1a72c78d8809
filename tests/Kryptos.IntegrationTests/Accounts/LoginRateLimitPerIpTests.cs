using System.Globalization;
using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>A host that lets one client IP submit the account forms only three times an hour.</summary>
public sealed class PerIpLimitFactory : KryptosFactory
{
    public const int Permits = 3;

    public PerIpLimitFactory()
    {
        Settings["Accounts:LoginRateLimit:PermitsPerIp"] = Permits.ToString(CultureInfo.InvariantCulture);
        Settings["Accounts:LoginRateLimit:Window"] = "01:00:00";
    }
}

/// <summary>The per-IP limit on login, sign-up and forgot-password submissions answers 429 with Retry-After.</summary>
public sealed class LoginRateLimitPerIpTests(PerIpLimitFactory factory) : IClassFixture<PerIpLimitFactory>
{
    [Fact]
    public async Task LoginPostsOverTheIpLimit_Get429WithRetryAfter_AndSoDoTheOtherAccountForms()
    {
        using var client = factory.NewClient();
        for (var attempt = 1; attempt <= PerIpLimitFactory.Permits; attempt++)
        {
            using var allowed = await client.SubmitLoginAsync(Intents.NewEmail("guess"), "some guessed passphrase");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var rejected = await client.SubmitLoginAsync(Intents.NewEmail("guess"), "some guessed passphrase");

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var retryAfter = int.Parse(Assert.Single(rejected.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
        Assert.Contains("Too many attempts", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another client from the same address: the limit belongs to the address, not to the browser.
        using var other = factory.NewClient();
        using var signUp = await other.SubmitSignUpAsync("Ada Lovelace", Intents.NewEmail("late"), Intents.DefaultPassword);
        Assert.Equal(HttpStatusCode.TooManyRequests, signUp.StatusCode);
        Assert.True(signUp.Headers.Contains("Retry-After"));
        using var forgot = await other.ForgotPasswordAsync(Intents.NewEmail("late"));
        Assert.Equal(HttpStatusCode.TooManyRequests, forgot.StatusCode);
        Assert.True(forgot.Headers.Contains("Retry-After"));

        // Reading the forms is not limited.
        using var loginPage = await other.Http.GetAsync(new Uri("/account/login", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, loginPage.StatusCode);
    }
}
