using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Kryptos.Connect.Hosting;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.IntegrationTests.Oidc;

public sealed record Pkce(string Verifier, string Challenge)
{
    public static Pkce Create()
    {
        var verifier = SecureTokens.Create(32);
        var challenge = Convert.ToBase64String(SHA256.HashData(Encoding.ASCII.GetBytes(verifier))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return new Pkce(verifier, challenge);
    }
}

/// <summary>A token endpoint answer, raw and parsed.</summary>
public sealed record TokenResponse(HttpStatusCode Status, JsonElement Json, HttpResponseMessage Response)
{
    public string? AccessToken => Get("access_token");
    public string? RefreshToken => Get("refresh_token");
    public string? IdToken => Get("id_token");
    public string? Error => Get("error");

    private string? Get(string name) => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty(name, out var value) ? value.GetString() : null;
}

/// <summary>
/// OAuth 2.0 / OpenID Connect intents: the user's browser (a <see cref="PortalClient"/>) goes through
/// /oidc/auth, login and consent; the client's server calls /oidc/token with its credentials.
/// </summary>
public static class OidcIntents
{
    public const string DefaultScopes = "openid profile email offline_access portfolios:read";

    public static string AuthorizeUrl(string clientId, Pkce pkce, string scope = DefaultScopes, string redirectUri = ClientIntents.DefaultRedirectUri, string state = "xyz", IDictionary<string, string?>? extra = null)
    {
        var parameters = new Dictionary<string, string?>
        {
            ["client_id"] = clientId,
            ["response_type"] = "code",
            ["redirect_uri"] = redirectUri,
            ["scope"] = scope,
            ["state"] = state,
            ["nonce"] = "n-" + state,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            parameters[key] = value;
        }

        return QueryHelpers.AddQueryString("/oidc/auth", parameters.Where(p => p.Value is not null));
    }

    /// <summary>
    /// Runs the browser part: follows /oidc/auth (logging in with <paramref name="user"/> if asked),
    /// allows on the consent screen (choosing <paramref name="workspaceId"/> when given) and returns
    /// the redirect back to the client.
    /// </summary>
    public static async Task<Uri> AuthorizeAsync(this PortalClient browser, string authorizeUrl, TestUser? user = null, Guid? workspaceId = null, string decision = "allow")
    {
        ArgumentNullException.ThrowIfNull(browser);
        var response = await browser.Http.GetAsync(authorizeUrl);
        for (var step = 0; step < 6; step++)
        {
            if (PortalClient.IsRedirect(response.StatusCode))
            {
                var location = response.Headers.Location!;
                var target = location.IsAbsoluteUri ? location : new Uri(new Uri("https://localhost"), location);
                response.Dispose();
                if (target.Host != "localhost")
                {
                    return target;
                }

                if (target.AbsolutePath == "/account/login")
                {
                    Assert.NotNull(user);
                    response = await browser.LoginAsync(user!, target.PathAndQuery);
                    continue;
                }

                response = await browser.Http.GetAsync(target.PathAndQuery);
                continue;
            }

            browser.AssertStatus(HttpStatusCode.OK, response);
            var page = await PortalClient.ReadPageAsync(response);
            response.Dispose();
            Assert.NotNull(page.QuerySelector("button[value='allow']"));
            var fields = new Dictionary<string, string> { ["kryptos_decision"] = decision };
            if (workspaceId is { } id)
            {
                fields["kryptos_workspace"] = id.ToString();
            }

            response = await browser.SubmitConsentAsync(page, fields);
        }

        throw new InvalidOperationException("The authorization flow did not come back to the client.");
    }

    public static Task<HttpResponseMessage> SubmitConsentAsync(this PortalClient browser, AngleSharp.Html.Dom.IHtmlDocument page, Dictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(fields);
        // The submit button is not a form element SubmitAsync copies, so the decision is a field.
        return browser.SubmitAsync(page, "/oidc/auth", fields, "form[action='/oidc/auth']");
    }

    public static string CodeFrom(Uri redirect, string expectedState = "xyz")
    {
        ArgumentNullException.ThrowIfNull(redirect);
        var query = QueryHelpers.ParseQuery(redirect.Query);
        Assert.True(query.ContainsKey("code"), $"No code in {redirect}");
        Assert.Equal(expectedState, query["state"].ToString());
        return query["code"].ToString();
    }

    public static async Task<TokenResponse> RedeemCodeAsync(this HttpClient server, string clientId, string? secret, string code, string verifier, string redirectUri = ClientIntents.DefaultRedirectUri, bool basicAuth = true) =>
        await server.TokenAsync(clientId, secret, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code,
            ["code_verifier"] = verifier,
            ["redirect_uri"] = redirectUri,
        }, basicAuth);

    public static Task<TokenResponse> RefreshAsync(this HttpClient server, string clientId, string? secret, string refreshToken) =>
        server.TokenAsync(clientId, secret, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = refreshToken,
        });

    public static async Task<TokenResponse> TokenAsync(this HttpClient server, string clientId, string? secret, Dictionary<string, string> fields, bool basicAuth = true)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/token");
        if (secret is not null && basicAuth)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        }
        else
        {
            fields["client_id"] = clientId;
            if (secret is not null)
            {
                fields["client_secret"] = secret;
            }
        }

        request.Content = new FormUrlEncodedContent(fields);
        var response = await server.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var json = body.Length > 0 && body.TrimStart().StartsWith('{') ? JsonDocument.Parse(body).RootElement.Clone() : default;
        return new TokenResponse(response.StatusCode, json, response);
    }
}
