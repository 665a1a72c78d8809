using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>Two-factor authentication with an authenticator app (TOTP, RFC 6238) and recovery codes.</summary>
public sealed class TwoFactorTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task EnablingNeedsAValidCode_ThenLoginAsksForOne()
    {
        var (user, browser) = await factory.SignedInUserAsync();
        var key = await SharedKeyAsync(browser);

        using (var wrong = await browser.SubmitAsync("/account/two-factor", new Dictionary<string, string> { ["code"] = "000000" }, "form[action*='handler=Enable']"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        Assert.False(await TwoFactorEnabledAsync(user));
        var codes = await EnableAsync(browser, key);
        Assert.Equal(10, codes.Count);
        Assert.True(await TwoFactorEnabledAsync(user));

        using var fresh = factory.NewClient();
        using var login = await fresh.LoginAsync(user);
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
        Assert.StartsWith("/account/login/two-factor", login.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using (var notYet = await fresh.Http.GetAsync("/account"))
        {
            Assert.Equal(HttpStatusCode.Redirect, notYet.StatusCode); // the password alone is no session
        }

        using (var badCode = await fresh.SubmitAsync(login.Headers.Location!.OriginalString, new Dictionary<string, string> { ["code"] = "123456" }, "form[action*='handler=Code']"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badCode.StatusCode);
        }

        using var goodCode = await fresh.SubmitAsync(login.Headers.Location!.OriginalString, new Dictionary<string, string> { ["code"] = Totp(key) }, "form[action*='handler=Code']");
        Assert.Equal(HttpStatusCode.Redirect, goodCode.StatusCode);
        Assert.Equal("/workspaces", goodCode.Headers.Location!.OriginalString);
        await fresh.GetPageAsync("/account");
        browser.Dispose();
    }

    [Fact]
    public async Task ARecoveryCode_LogsInOnce()
    {
        var (user, browser) = await factory.SignedInUserAsync();
        var codes = await EnableAsync(browser, await SharedKeyAsync(browser));

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var fresh = factory.NewClient();
            using var login = await fresh.LoginAsync(user);
            using var recovery = await fresh.SubmitAsync(login.Headers.Location!.OriginalString, new Dictionary<string, string> { ["recoveryCode"] = codes[0] }, "form[action*='handler=Recovery']");
            Assert.Equal(attempt == 0 ? HttpStatusCode.Redirect : HttpStatusCode.BadRequest, recovery.StatusCode);
        }

        browser.Dispose();
    }

    [Fact]
    public async Task TheAuthenticatorKeyAndRecoveryCodes_AreNotStoredInClear()
    {
        var (user, browser) = await factory.SignedInUserAsync();
        var key = await SharedKeyAsync(browser);
        var codes = await EnableAsync(browser, key);
        var userId = await factory.UserIdAsync(user);

        var stored = await factory.WithDbAsync(db => db.UserTokens.Where(t => t.UserId == userId).Select(t => t.Value ?? "").ToListAsync());

        Assert.NotEmpty(stored);
        Assert.DoesNotContain(stored, value => value.Contains(key, StringComparison.OrdinalIgnoreCase));
        Assert.All(codes, code => Assert.DoesNotContain(stored, value => value.Contains(code, StringComparison.OrdinalIgnoreCase)));
        browser.Dispose();
    }

    [Fact]
    public async Task TurningItOff_NeedsThePassword_ThenLoginNeedsNoCode()
    {
        var (user, browser) = await factory.SignedInUserAsync();
        await EnableAsync(browser, await SharedKeyAsync(browser));

        using (var wrong = await browser.SubmitAsync("/account/two-factor", new Dictionary<string, string> { ["password"] = "not my password" }, "form[action*='handler=Disable']"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        Assert.True(await TwoFactorEnabledAsync(user));
        using (var off = await browser.SubmitAsync("/account/two-factor", new Dictionary<string, string> { ["password"] = user.Password }, "form[action*='handler=Disable']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, off.StatusCode);
        }

        Assert.False(await TwoFactorEnabledAsync(user));
        using var fresh = factory.NewClient();
        using var login = await fresh.LoginAsync(user);
        Assert.Equal("/workspaces", login.Headers.Location!.OriginalString);
        browser.Dispose();
    }

    [Fact]
    public async Task WrongPasswordsOnTheTwoFactorPage_LockTheAccountLikeFailedLogins()
    {
        var (user, browser) = await factory.SignedInUserAsync();
        await EnableAsync(browser, await SharedKeyAsync(browser));
        var statuses = new List<HttpStatusCode>();
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await browser.SubmitAsync("/account/two-factor", new Dictionary<string, string> { ["password"] = $"guess {attempt}" }, "form[action*='handler=Disable']");
            statuses.Add(wrong.StatusCode);
        }

        // The fifth failure locks the account, as five failed logins would; the session stays.
        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests], statuses);
        Assert.NotNull((await factory.UserAsync(user.Email)).LockoutEnd);
        using var withTheRightPassword = await browser.SubmitAsync("/account/two-factor", new Dictionary<string, string> { ["password"] = user.Password }, "form[action*='handler=Disable']");
        Assert.Equal(HttpStatusCode.TooManyRequests, withTheRightPassword.StatusCode);
        Assert.True(await TwoFactorEnabledAsync(user));
        using var fresh = factory.NewClient();
        using var login = await fresh.LoginAsync(user);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        browser.Dispose();
    }

    private static async Task<string> SharedKeyAsync(PortalClient browser)
    {
        var page = await browser.GetPageAsync("/account/two-factor");
        return page.QuerySelector("#shared-key")!.TextContent.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
    }

    private static async Task<List<string>> EnableAsync(PortalClient browser, string key)
    {
        using var response = await browser.SubmitAsync("/account/two-factor", new Dictionary<string, string> { ["code"] = Totp(key) }, "form[action*='handler=Enable']");
        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        return [.. page.QuerySelector("#recovery-codes")!.TextContent.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
    }

    private Task<bool> TwoFactorEnabledAsync(TestUser user) =>
        factory.WithDbAsync(db => db.Users.Where(u => u.Email == user.Email).Select(u => u.TwoFactorEnabled).SingleAsync());

    /// <summary>The current RFC 6238 code (HMAC-SHA1, 30-second steps, 6 digits), as an authenticator app computes it.</summary>
    private static string Totp(string base32Key)
    {
        var key = Base32Decode(base32Key);
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 30);
        // RFC 6238 authenticator apps use HMAC-SHA1; the test must compute what they compute.
#pragma warning disable CA5350
        var hash = HMACSHA1.HashData(key, counter);
#pragma warning restore CA5350
        var offset = hash[^1] & 0x0F;
        var binary = (BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset)) & 0x7FFFFFFF) % 1_000_000;
        return binary.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
    }

    private static byte[] Base32Decode(string input)
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        var output = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in input.TrimEnd('='))
        {
            buffer = (buffer << 5) | alphabet.IndexOf(c, StringComparison.Ordinal);
            bits += 5;
            if (bits >= 8)
            {
                output.Add((byte)(buffer >> (bits - 8)));
                bits -= 8;
            }
        }

        return [.. output];
    }
}
