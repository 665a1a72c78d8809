using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>An app connected by a user: its registration, the user, the tokens from /oidc/token.</summary>
public sealed record ConnectedApp(CreatedClient Client, TestUser User, TokenResponse Tokens)
{
    public string AccessToken => Tokens.AccessToken!;
}

/// <summary>Calling the Connect API as a third-party app does: real tokens from the real flow, sent in the Authorization header.</summary>
public static class ApiIntents
{
    /// <summary>Every scope the Connect API knows, plus sign-in and email.</summary>
    public const string AllScopes = "openid profile email offline_access portfolios:read transactions:read integrations:read tax:read accounting:read reports:read workspace:read users:read";

    /// <summary>A new developer publishes a client with the portal's default scopes; a new user authorizes <paramref name="scope"/>.</summary>
    public static async Task<ConnectedApp> ConnectAppAsync(this KryptosFactory factory, string scope = AllScopes, string userName = "Grace Hopper")
    {
        ArgumentNullException.ThrowIfNull(factory);
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync(userName);
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user, scope);
        return new ConnectedApp(client, user, tokens);
    }

    public static async Task<HttpResponseMessage> GetApiAsync(this HttpClient http, string path, string? accessToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (accessToken is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        }

        return await http.SendAsync(request);
    }

    public static async Task<JsonElement> JsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Asserts an RFC 9457 problem document with <paramref name="status"/> and <paramref name="code"/>, and returns it.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status} but got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return problem;
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms; returns how long it took to hold, or fails after <paramref name="limit"/>.</summary>
    public static async Task<TimeSpan> WithinAsync(TimeSpan limit, Func<Task<bool>> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var watch = Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(watch.Elapsed < limit, $"{what}: not within {limit.TotalSeconds} s.");
            await Task.Delay(100);
        }

        return watch.Elapsed;
    }
}
