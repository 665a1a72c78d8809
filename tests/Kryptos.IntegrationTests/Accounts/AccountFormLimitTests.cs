using System.Globalization;
using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Three sign-ups, three reset requests and five login submissions per address and window.</summary>
public sealed class FormLimitFactory : ClientAddressFactory
{
    public const int SignUps = 3;
    public const int Resets = 3;
    public const int Logins = 5;

    public FormLimitFactory()
    {
        Settings["Accounts:RateLimits:SignUpsPerIp"] = SignUps.ToString(CultureInfo.InvariantCulture);
        Settings["Accounts:RateLimits:PasswordResetRequestsPerIp"] = Resets.ToString(CultureInfo.InvariantCulture);
        Settings["Accounts:RateLimits:LoginAttemptsPerIp"] = Logins.ToString(CultureInfo.InvariantCulture);
        Settings["Accounts:RateLimits:FormWindow"] = "01:00:00";
        Settings["Accounts:RateLimits:LoginWindow"] = "01:00:00";
    }
}

/// <summary>
/// Per-address ceilings on the account forms (every submission counts; they stop scripts, not
/// people): 429 with Retry-After, per form, per address. Showing a form is never limited.
/// </summary>
public sealed class AccountFormLimitTests(FormLimitFactory factory) : IClassFixture<FormLimitFactory>
{
    [Fact]
    public async Task SignUpsOverTheCeiling_Get429_FromThatAddressOnly()
    {
        using var script = factory.NewClientFrom("203.0.113.80");
        for (var i = 1; i <= FormLimitFactory.SignUps; i++)
        {
            using var accepted = await script.SubmitSignUpAsync("Bot", Intents.NewEmail("bot"), Intents.DefaultPassword);
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        using var refused = await script.SubmitSignUpAsync("Bot", Intents.NewEmail("bot"), Intents.DefaultPassword);
        using var person = factory.NewClientFrom("198.51.100.80");
        using var accepted2 = await person.SubmitSignUpAsync("Ada", Intents.NewEmail("ada"), Intents.DefaultPassword);
        using var form = await script.Http.GetAsync(new Uri("/account/signup", UriKind.Relative));

        AssertTooMany(refused);
        Assert.Equal(HttpStatusCode.Redirect, accepted2.StatusCode);
        Assert.Equal(HttpStatusCode.OK, form.StatusCode);
    }

    [Fact]
    public async Task ResetRequestsOverTheCeiling_Get429_AndDoNotTouchTheLoginForm()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewClientFrom("203.0.113.81");
        for (var i = 1; i <= FormLimitFactory.Resets; i++)
        {
            using var accepted = await client.ForgotPasswordAsync(Intents.NewEmail("someone"));
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        using var refused = await client.ForgotPasswordAsync(user.Email);
        using var login = await client.LoginAsync(user);

        AssertTooMany(refused);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
    }

    [Fact]
    public async Task LoginSubmissionsOverTheCeiling_Get429_WhateverTheirOutcome()
    {
        var user = await factory.SignUpAsync();
        for (var i = 1; i <= FormLimitFactory.Logins; i++)
        {
            using var browser = factory.NewClientFrom("203.0.113.82");
            using var accepted = await browser.LoginAsync(user);
            Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        }

        using var client = factory.NewClientFrom("203.0.113.82");
        using var refused = await client.LoginAsync(user);

        AssertTooMany(refused);
    }

    private static void AssertTooMany(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var retryAfter = int.Parse(Assert.Single(response.Headers.GetValues("Retry-After")), NumberStyles.None, CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 3600);
    }
}
