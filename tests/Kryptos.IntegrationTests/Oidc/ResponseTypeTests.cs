using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Only the code flow: implicit and hybrid response types are refused (RFC 9700 §2.1.2) with
/// unsupported_response_type at the client's verified redirect URI, and no token ever travels in a URL.
/// </summary>
public sealed class ResponseTypeTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Theory]
    [InlineData("token")]
    [InlineData("id_token")]
    [InlineData("id_token token")]
    [InlineData("code id_token")]
    [InlineData("code token")]
    [InlineData("code id_token token")]
    public async Task AnImplicitOrHybridResponseType_GoesBackToTheClient_AsUnsupportedResponseType(string responseType)
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);

        using var response = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), extra: new Dictionary<string, string?> { ["response_type"] = responseType }));

        // In the fragment, where a client that asked for an implicit response type looks (RFC 6749 §4.2.2.1).
        OidcSetup.AssertErrorRedirect(response, "unsupported_response_type");
        Assert.DoesNotContain("access_token", response.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("id_token=", response.Headers.Location?.OriginalString ?? "", StringComparison.Ordinal);
    }
}
