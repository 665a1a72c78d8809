using System.Net;
using System.Text;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// A POST body the form reader refuses — a NUL byte in a value, a value over the form limit, more
/// fields than allowed — is the client's mistake: every OIDC POST endpoint answers 400
/// <c>invalid_request</c> (JSON on the back-channel endpoints, our error page on the interactive ones),
/// logs one warning line, and never shows a stack trace or logs an error.
/// </summary>
public sealed class MalformedRequestBodyTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    // Hosting:MaxFormValueBytes (64 KiB) and FormOptions.ValueCountLimit (256) of the host; every body
    // stays far below Hosting:MaxRequestBodyBytes (1 MiB), so it reaches the form reader.
    private const int MaxFormValueBytes = 64 * 1024;
    private const int MaxFormFields = 256;

    public static TheoryData<string, string> EndpointsAndPayloads()
    {
        var data = new TheoryData<string, string>();
        foreach (var endpoint in (string[])["/oidc/token", "/oidc/par", "/oidc/token/revocation", "/oidc/token/introspection", "/oidc/userinfo", "/oidc/auth", "/oidc/session/end"])
        {
            foreach (var payload in (string[])["nul", "long-value", "too-many-fields"])
            {
                data.Add(endpoint, payload);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EndpointsAndPayloads))]
    public async Task AnUnreadableFormBody_IsInvalidRequest_WithOneWarningAndNoStackTrace(string endpoint, string payload)
    {
        using var client = factory.Backchannel();
        var logged = factory.Logs.Messages.Count;
        using var content = new StringContent(Body(payload), Encoding.ASCII, "application/x-www-form-urlencoded");

        using var response = await client.PostAsync(new Uri(endpoint, UriKind.Relative), content);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode} {response.Headers.Location}: {body[..Math.Min(body.Length, 2000)]}\n{factory.LoggedErrors}");
        Assert.Null(response.Headers.Location);
        if (endpoint is "/oidc/auth" or "/oidc/session/end")
        {
            // The interactive endpoints show our error page, as for any request that cannot go back to a client.
            Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("invalid_request:", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("invalid_request", (await OidcSetup.JsonOfAsync(response)).GetProperty("error").GetString());
        }

        Assert.DoesNotContain("Exception", body, StringComparison.Ordinal);
        Assert.DoesNotContain(" at ", body.Replace("You were not redirected anywhere", "", StringComparison.Ordinal), StringComparison.Ordinal);
        var messages = factory.Logs.Messages.Skip(logged).ToList();
        Assert.DoesNotContain(messages, m => m.StartsWith("Error", StringComparison.Ordinal) || m.StartsWith("Critical", StringComparison.Ordinal));
        var warning = Assert.Single(messages, m => m.StartsWith("Warning", StringComparison.Ordinal) && m.Contains("unreadable form body", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", warning, StringComparison.Ordinal);
    }

    private static string Body(string payload) => payload switch
    {
        "nul" => "client_id=kc_client&grant_type=refresh_token&refresh_token=abc%00def&token=abc%00def&scope=openid&post_logout_redirect_uri=https%3A%2F%2Fapp.example.com%2F%00",
        "long-value" => "client_id=kc_client&token=" + new string('a', MaxFormValueBytes + 1),
        "too-many-fields" => string.Join('&', Enumerable.Range(0, MaxFormFields + 1).Select(i => $"field{i}=x")),
        _ => throw new ArgumentOutOfRangeException(nameof(payload)),
    };
}
