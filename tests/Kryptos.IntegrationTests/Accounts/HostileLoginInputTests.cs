using System.Net;
using System.Text.RegularExpressions;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>
/// Oversized and odd emails at the account forms, whose limits and login throttle count by email and
/// address in the shared counters: each gets the form's validation error or the normal failure (a
/// NUL: the Bad request page), never a 500, and the counters table holds only fixed-length hashes,
/// never the input.
/// </summary>
public sealed partial class HostileLoginInputTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    public static TheoryData<string, string> HostileEmails() => new()
    {
        { "10,000 characters", new string('a', 10_000 - "@example.com".Length) + "@example.com" },
        { "a NUL", "ada\0lovelace@example.com" },
        { "right-to-left override", "\u202Emoc.elpmaxe@ada" },
        { "RTL marks and a NUL", "\u200Fada\u202B\0@exam\u202Cple.com" },
        { "10,000 NULs and RTL overrides", string.Concat(Enumerable.Repeat("\0\u202E", 5_000 - 6)) + "@a.com" },
    };

    [Theory]
    [MemberData(nameof(HostileEmails))]
    public async Task TheLoginForm_AnswersAHostileEmail_WithItsValidationErrorOrTheNormalFailure(string what, string email)
    {
        using var client = factory.NewClient();

        using var response = await client.SubmitLoginAsync(email, Intents.DefaultPassword);

        // A 500 (an exception on the way: a database refusing a NUL, a key too long for its column) fails here.
        var page = await PortalClient.ReadPageAsync(response);
        if (email.Contains('\0', StringComparison.Ordinal))
        {
            // ASP.NET Core does not read a form body holding %00 (antiforgery logs "Unable to read the
            // antiforgery request token from the posted form"): our Bad request page, before any code
            // of ours, the counters' included, sees the email.
            client.AssertStatus(HttpStatusCode.BadRequest, response);
            Assert.Contains("Bad request", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
        }
        else
        {
            client.AssertStatus(HttpStatusCode.OK, response);
            var error = page.FieldError("Input.Email") + page.FormErrors();
            Assert.True(error.Length > 0, $"{what}: the form showed no error.");
        }

        await AssertCounterKeysAreHashesAsync(email);
    }

    [Theory]
    [MemberData(nameof(HostileEmails))]
    public async Task TheSignUpAndResetForms_AnswerAHostileEmail_WithoutA500(string what, string email)
    {
        using var client = factory.NewClient();

        using var signUp = await client.SubmitSignUpAsync("Mallory", email, Intents.DefaultPassword);
        using var reset = await client.ForgotPasswordAsync(email);

        Assert.True((int)signUp.StatusCode < 500, $"{what}: sign-up answered {(int)signUp.StatusCode}.{Environment.NewLine}{factory.LoggedErrors}");
        Assert.True((int)reset.StatusCode < 500, $"{what}: reset answered {(int)reset.StatusCode}.{Environment.NewLine}{factory.LoggedErrors}");
        await AssertCounterKeysAreHashesAsync(email);
    }

    /// <summary>Every key is a purpose and a SHA-256 in base64url (43 characters); the email is in none.</summary>
    private async Task AssertCounterKeysAreHashesAsync(string email)
    {
        var keys = new List<string>();
        await using (var connection = await TestDatabase.OpenAsync(factory.Root))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT \"Key\" FROM \"SharedCounters\"";
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        // The form's own rate limit counts every submission: without rows this check would prove nothing.
        Assert.NotEmpty(keys);
        Assert.All(keys, key => Assert.Matches(HashedKey(), key));
        var local = email.Split('@')[0];
        Assert.DoesNotContain(keys, key => key.Contains(local, StringComparison.Ordinal) || key.Contains('\0', StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^[a-z-]+\|[A-Za-z0-9_-]{43}$")]
    private static partial Regex HashedKey();
}
