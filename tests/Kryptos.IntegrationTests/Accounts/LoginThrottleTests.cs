using System.Globalization;
using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Three failures per account and address, six per address, in an hour.</summary>
public sealed class TightThrottleFactory : ClientAddressFactory
{
    public const int PerAccountAndAddress = 3;
    public const int PerAddress = 6;

    public TightThrottleFactory()
    {
        Settings["Accounts:Throttle:FailuresPerAccountAndIp"] = PerAccountAndAddress.ToString(CultureInfo.InvariantCulture);
        Settings["Accounts:Throttle:FailuresPerIp"] = PerAddress.ToString(CultureInfo.InvariantCulture);
        Settings["Accounts:Throttle:Window"] = "01:00:00";
        // Identity's lockout stays out of the way here (it has its own tests).
        Settings["Accounts:MaxFailedLoginAttempts"] = "100";
    }
}

/// <summary>
/// Failed password checks are throttled per account and address and per address; successful logins
/// never count, so an office behind one address or a person who logs in all day is never refused.
/// </summary>
public sealed class LoginThrottleTests(TightThrottleFactory factory) : IClassFixture<TightThrottleFactory>
{
    [Fact]
    public async Task ManySuccessfulLogins_FromOneAddress_AreNeverRefused()
    {
        var user = await factory.SignUpAsync();
        for (var login = 1; login <= 15; login++)
        {
            using var office = factory.NewClientFrom("198.51.100.7");
            using var response = await office.LoginAsync(user);

            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"Login {login} was refused with {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task FailuresAgainstOneAccountFromOneAddress_Refuse429_EvenTheRightPassword_ButNotFromAnotherAddress()
    {
        var user = await factory.SignUpAsync();
        using var attacker = factory.NewClientFrom("203.0.113.10");
        for (var attempt = 1; attempt <= TightThrottleFactory.PerAccountAndAddress; attempt++)
        {
            using var failed = await attacker.SubmitLoginAsync(user.Email, $"guess {attempt} of a passphrase");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var rejected = await attacker.LoginAsync(user);
        using var owner = factory.NewClientFrom("198.51.100.20");
        using var ownerLogin = await owner.LoginAsync(user);

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        var retryAfter = int.Parse(Assert.Single(rejected.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 3000, 3600);
        Assert.Contains("Too many failed login attempts", (await PortalClient.ReadPageAsync(rejected)).FormErrors(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, ownerLogin.StatusCode);
    }

    [Fact]
    public async Task ASuccessfulLogin_ClearsTheFailuresOfItsAccountAndAddress()
    {
        var user = await factory.SignUpAsync();
        for (var round = 0; round < 2; round++)
        {
            using var person = factory.NewClientFrom("198.51.100.30");
            for (var attempt = 1; attempt < TightThrottleFactory.PerAccountAndAddress; attempt++)
            {
                using var typo = await person.SubmitLoginAsync(user.Email, "a mistyped passphrase");
                Assert.Equal(HttpStatusCode.OK, typo.StatusCode);
            }

            using var success = await person.LoginAsync(user);
            Assert.Equal(HttpStatusCode.Redirect, success.StatusCode);
        }
    }

    [Fact]
    public async Task FailuresFromOneAddress_AcrossManyAccounts_StopThatAddress_NotOthers()
    {
        var victim = await factory.SignUpAsync();
        using var sprayer = factory.NewClientFrom("203.0.113.50");
        for (var account = 1; account <= TightThrottleFactory.PerAddress; account++)
        {
            using var failed = await sprayer.SubmitLoginAsync(Intents.NewEmail("sprayed"), "Summer2026!");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var refused = await sprayer.LoginAsync(victim);
        using var elsewhere = factory.NewClientFrom("198.51.100.40");
        using var allowed = await elsewhere.LoginAsync(victim);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, allowed.StatusCode);
    }

    [Fact]
    public async Task AnUnknownEmail_IsThrottledTheSameWay_SoTheLimitRevealsNoAccount()
    {
        var unknown = Intents.NewEmail("unknown");
        using var client = factory.NewClientFrom("203.0.113.60");
        for (var attempt = 1; attempt <= TightThrottleFactory.PerAccountAndAddress; attempt++)
        {
            using var failed = await client.SubmitLoginAsync(unknown, $"guess {attempt} of a passphrase");
            Assert.Equal(HttpStatusCode.OK, failed.StatusCode);
        }

        using var rejected = await client.SubmitLoginAsync(unknown, "one more guess");

        Assert.Equal(HttpStatusCode.TooManyRequests, rejected.StatusCode);
        Assert.True(rejected.Headers.Contains("Retry-After"));
    }

    [Fact]
    public async Task WrongPasswordsOnTheSettingsPage_CountAsFailedLogins()
    {
        var user = await factory.SignUpAsync();
        await factory.VerifyEmailAsync(user);
        using var session = factory.NewClientFrom("198.51.100.70");
        using (var login = await session.LoginAsync(user))
        {
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        }

        for (var attempt = 1; attempt <= TightThrottleFactory.PerAccountAndAddress; attempt++)
        {
            using var wrong = await session.SubmitSettingsAsync("Password", new Dictionary<string, string>
            {
                ["Password.CurrentPassword"] = $"guess {attempt} of a passphrase",
                ["Password.NewPassword"] = "a brand new passphrase",
            });
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        using var throttledOnThePage = await session.SubmitSettingsAsync("Password", new Dictionary<string, string>
        {
            ["Password.CurrentPassword"] = user.Password,
            ["Password.NewPassword"] = "a brand new passphrase",
        });
        using var sameAddress = factory.NewClientFrom("198.51.100.70");
        using var throttledAtLogin = await sameAddress.LoginAsync(user);

        Assert.Equal(HttpStatusCode.TooManyRequests, throttledOnThePage.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttledAtLogin.StatusCode);
    }
}
