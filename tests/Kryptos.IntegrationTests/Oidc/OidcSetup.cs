using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using Kryptos.Connect.Authorization;
using Kryptos.Connect.Authorization.Grants;
using Kryptos.Connect.Data;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>What a client registration asks for; the defaults are the portal's defaults.</summary>
public sealed record ClientSpec(
    string Type = "confidential",
    string RedirectUris = ClientIntents.DefaultRedirectUri,
    string PostLogoutRedirectUris = "",
    IReadOnlyCollection<string>? Scopes = null,
    string Name = "Acme Tax");

/// <summary>An RFC 7662 introspection answer.</summary>
public sealed record Introspection(HttpStatusCode Status, JsonElement Json)
{
    public bool Active => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("active", out var active) && active.GetBoolean();
}

/// <summary>
/// Arranging OAuth scenarios: a developer publishes a client in their workspace, a user signs up,
/// the user's browser runs the flow, the client's server redeems the code. Everything goes through
/// the real pages and endpoints.
/// </summary>
public static class OidcSetup
{
    /// <summary>The issuer, exactly: no trailing slash (OpenID Connect Discovery §4.3 compares it as a string).</summary>
    public const string Issuer = "https://localhost/oidc";

    /// <summary>The client's server: no cookies, no redirects followed, https.</summary>
    public static HttpClient Backchannel(this KryptosFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
    }

    /// <summary>A new developer with a new workspace "Acme Publishing" registers a client there.</summary>
    public static async Task<CreatedClient> PublishClientAsync(this KryptosFactory factory, ClientSpec? spec = null)
    {
        var (_, developer) = await factory.SignedInUserAsync();
        using (developer)
        {
            var workspaceId = await developer.CreateWorkspaceAsync("Acme Publishing");
            return await developer.RegisterClientAsync(workspaceId, spec ?? new ClientSpec());
        }
    }

    /// <summary>A new developer publishes a client; returns the developer's portal too (to disable, rotate …).</summary>
    public static async Task<(CreatedClient Client, PortalClient Developer)> PublishClientWithDeveloperAsync(this KryptosFactory factory, ClientSpec? spec = null)
    {
        var (_, developer) = await factory.SignedInUserAsync();
        var workspaceId = await developer.CreateWorkspaceAsync("Acme Publishing");
        return (await developer.RegisterClientAsync(workspaceId, spec ?? new ClientSpec()), developer);
    }

    /// <summary>Fills the portal's new-client form as <paramref name="spec"/> says (unticking the scopes not asked for) and submits it.</summary>
    public static async Task<CreatedClient> RegisterClientAsync(this PortalClient developer, Guid workspaceId, ClientSpec spec)
    {
        ArgumentNullException.ThrowIfNull(developer);
        ArgumentNullException.ThrowIfNull(spec);
        var url = $"/workspaces/{workspaceId}/clients/new";
        var page = await developer.GetPageAsync(url);
        if (spec.Scopes is { } scopes)
        {
            foreach (var box in page.QuerySelectorAll("input[name='Form.Scopes']").Cast<IHtmlInputElement>())
            {
                box.IsChecked = scopes.Contains(box.Value);
            }
        }

        var fields = ClientIntents.Fields(spec.Name, spec.Type, spec.RedirectUris);
        fields["Form.PostLogoutRedirectUris"] = spec.PostLogoutRedirectUris;
        using var response = await developer.SubmitAsync(page, url, fields);
        developer.AssertStatus(HttpStatusCode.Redirect, response);
        var detailsUrl = response.Headers.Location!.OriginalString;
        var details = await developer.GetPageAsync(detailsUrl);
        var secret = (details.QuerySelector("#new-client-secret") as IHtmlInputElement)?.Value;
        var clientId = ((IHtmlInputElement)details.QuerySelector("#client-id")!).Value;
        return new CreatedClient(clientId, secret, detailsUrl);
    }

    /// <summary>Ticks exactly <paramref name="scopes"/> in the client's settings form and saves it.</summary>
    public static async Task EditClientScopesAsync(this PortalClient developer, CreatedClient client, IReadOnlyCollection<string> scopes)
    {
        ArgumentNullException.ThrowIfNull(developer);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(scopes);
        var page = await developer.GetPageAsync(client.DetailsUrl);
        foreach (var box in page.QuerySelectorAll("input[name='Form.Scopes']").Cast<IHtmlInputElement>())
        {
            box.IsChecked = scopes.Contains(box.Value);
        }

        using var response = await developer.SubmitAsync(page, client.DetailsUrl, formSelector: "main form:not([action*='handler'])");
        developer.AssertStatus(HttpStatusCode.Redirect, response);
    }

    /// <summary>Presses "Disable client" on the client's page.</summary>
    public static async Task DisableClientAsync(this PortalClient developer, CreatedClient client)
    {
        ArgumentNullException.ThrowIfNull(developer);
        ArgumentNullException.ThrowIfNull(client);
        using var response = await developer.SubmitAsync(client.DetailsUrl, formSelector: "form[action*='handler=Disable']");
        developer.AssertStatus(HttpStatusCode.Redirect, response);
    }

    /// <summary>A new user with a verified email (not signed in anywhere yet).</summary>
    public static async Task<TestUser> NewUserAsync(this KryptosFactory factory, string name = "Grace Hopper")
    {
        var user = await factory.SignUpAsync(name: name);
        await factory.VerifyEmailAsync(user);
        return user;
    }

    /// <summary>A new browser that runs the flow for <paramref name="user"/> (logging in on the way) and returns the redirect to the client.</summary>
    public static async Task<(Uri Redirect, PortalClient Browser)> RunFlowAsync(this KryptosFactory factory, string authorizeUrl, TestUser user, Guid? workspaceId = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var browser = factory.NewClient();
        var redirect = await browser.AuthorizeAsync(authorizeUrl, user, workspaceId);
        return (redirect, browser);
    }

    /// <summary>A code for a new user of <paramref name="client"/> (consent in their browser), not redeemed yet, with its PKCE verifier.</summary>
    public static async Task<(string Code, Pkce Pkce)> CodeForNewUserAsync(this KryptosFactory factory, CreatedClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        var user = await factory.NewUserAsync();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        browser.Dispose();
        return (OidcIntents.CodeFrom(redirect), pkce);
    }

    /// <summary>The whole flow for a new user: consent in their browser, then the code redeemed by the client's server.</summary>
    public static async Task<TokenResponse> TokensForNewUserAsync(this KryptosFactory factory, HttpClient server, CreatedClient client, string scope = OidcIntents.DefaultScopes)
    {
        var user = await factory.NewUserAsync();
        return await factory.TokensAsync(server, client, user, scope);
    }

    public static async Task<TokenResponse> TokensAsync(this KryptosFactory factory, HttpClient server, CreatedClient client, TestUser user, string scope = OidcIntents.DefaultScopes, string redirectUri = ClientIntents.DefaultRedirectUri)
    {
        ArgumentNullException.ThrowIfNull(client);
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce, scope, redirectUri), user);
        browser.Dispose();
        var tokens = await server.RedeemCodeAsync(client.ClientId, client.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier, redirectUri);
        Assert.True(tokens.Status == HttpStatusCode.OK, $"The code was not redeemed: {(int)tokens.Status} {tokens.Json}");
        return tokens;
    }

    /// <summary>The query of a redirect back to the client, as a dictionary.</summary>
    public static Dictionary<string, string> QueryOf(Uri redirect)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        return QueryHelpers.ParseQuery(redirect.Query).ToDictionary(p => p.Key, p => p.Value.ToString(), StringComparer.Ordinal);
    }

    /// <summary>A response that redirects to the client's redirect URI (not to a page of ours).</summary>
    public static Uri RedirectToClient(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(PortalClient.IsRedirect(response.StatusCode), $"Expected a redirect to the client but got {(int)response.StatusCode}.");
        var location = response.Headers.Location!;
        Assert.True(location.IsAbsoluteUri && location.Host != "localhost", $"Expected a redirect to the client but got {location}.");
        return location;
    }

    /// <summary>The authorization endpoint showed its error page: 400, and no redirect anywhere.</summary>
    public static async Task AssertErrorPageAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"Expected the error page (400) but got {(int)response.StatusCode} {response.Headers.Location}: {Shorten(body)}");
        Assert.Null(response.Headers.Location);
        Assert.Contains("You were not redirected anywhere", body, StringComparison.Ordinal);
    }

    /// <summary>
    /// The authorization request was refused with <paramref name="error"/> at the client's verified
    /// redirect URI (RFC 6749 §4.1.2.1): a redirect to the client carrying the error, the request's
    /// <paramref name="state"/> and our issuer (RFC 9207), and no code or token. Returns the response
    /// parameters (from the query, or from the fragment for implicit response types).
    /// </summary>
    public static Dictionary<string, string> AssertErrorRedirect(HttpResponseMessage response, string error, string state = "xyz")
    {
        ArgumentNullException.ThrowIfNull(response);
        var location = RedirectToClient(response);
        var parameters = ResponseParametersOf(location);
        Assert.Equal(error, parameters.GetValueOrDefault("error"));
        Assert.Equal(state, parameters.GetValueOrDefault("state"));
        Assert.Equal(Issuer, parameters.GetValueOrDefault("iss"));
        Assert.False(parameters.ContainsKey("code"), "A code was issued.");
        Assert.False(parameters.ContainsKey("access_token"), "A token was issued.");
        return parameters;
    }

    /// <summary>
    /// The authorization request was refused with <paramref name="error"/> on our error page, because
    /// the client or its redirect URI could not be verified: 400, no redirect, no consent form.
    /// </summary>
    public static async Task AssertErrorPageAsync(HttpResponseMessage response, string error)
    {
        await AssertErrorPageAsync(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains(error + ":", body, StringComparison.Ordinal);
        Assert.DoesNotContain("kryptos_decision", body, StringComparison.Ordinal);
    }

    /// <summary>The parameters of an authorization response: the query, or the fragment when the response mode is fragment.</summary>
    public static Dictionary<string, string> ResponseParametersOf(Uri redirect)
    {
        ArgumentNullException.ThrowIfNull(redirect);
        var parameters = QueryOf(redirect);
        if (redirect.Fragment.Length > 1)
        {
            foreach (var (key, value) in QueryHelpers.ParseQuery(redirect.Fragment[1..]))
            {
                parameters[key] = value.ToString();
            }
        }

        return parameters;
    }

    public static async Task<Introspection> IntrospectAsync(this HttpClient server, string clientId, string? secret, string token)
    {
        using var response = await server.PostWithClientAsync("/oidc/token/introspection", clientId, secret, new() { ["token"] = token });
        return new Introspection(response.StatusCode, await JsonOfAsync(response));
    }

    public static async Task<HttpResponseMessage> RevokeTokenAsync(this HttpClient server, string clientId, string? secret, string token, string? hint = null)
    {
        var fields = new Dictionary<string, string> { ["token"] = token };
        if (hint is not null)
        {
            fields["token_type_hint"] = hint;
        }

        return await server.PostWithClientAsync("/oidc/token/revocation", clientId, secret, fields);
    }

    /// <summary>POSTs a form to <paramref name="path"/> authenticated with client_secret_basic (client_id only for a public client).</summary>
    public static async Task<HttpResponseMessage> PostWithClientAsync(this HttpClient server, string path, string clientId, string? secret, Dictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(fields);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative));
        if (secret is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        }
        else
        {
            fields["client_id"] = clientId;
        }

        request.Content = new FormUrlEncodedContent(fields);
        return await server.SendAsync(request);
    }

    public static async Task<JsonElement> JsonOfAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        return body.TrimStart().StartsWith('{') ? JsonDocument.Parse(body).RootElement.Clone() : default;
    }

    /// <summary>One claim of a JWT (access or ID token), read without validation.</summary>
    public static string? Claim(string? jwt, string type) =>
        new JsonWebTokenHandler().ReadJsonWebToken(jwt).Claims.FirstOrDefault(c => c.Type == type)?.Value;

    /// <summary>The grant (OpenIddict authorization) behind a token, by the token's <c>oi_au_id</c> claim.</summary>
    public static Task<OAuthGrant> GrantOfAsync(this KryptosFactory factory, string accessToken)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var id = Claim(accessToken, "oi_au_id") ?? throw new InvalidOperationException("The access token names no grant.");
        return factory.WithDbAsync(db => db.OAuthGrants.AsNoTracking().SingleAsync(g => g.Id == id));
    }

    /// <summary>Revokes a grant the way the connected-apps page does, through <see cref="IGrantRevocation"/>.</summary>
    public static async Task RevokeGrantAsync(this KryptosFactory factory, string grantId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        await using var scope = factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var subject = await db.OAuthGrants.Where(g => g.Id == grantId).Select(g => g.Subject).SingleAsync();
        Assert.True(await scope.ServiceProvider.GetRequiredService<IGrantRevocation>().RevokeAsync(Guid.Parse(subject!), grantId));
    }

    private static string Shorten(string text) => text.Length > 1500 ? text[..1500] : text;
}
