using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.Connect.Core.RateLimits;
using Kryptos.IntegrationTests.ApiKeys;
using Kryptos.IntegrationTests.Oidc;
using Kryptos.IntegrationTests.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kryptos.IntegrationTests.ConnectApi;

/// <summary>Three API requests and three token requests a minute, on a clock the tests move.</summary>
public sealed class RateLimitFactory : FakeClockFactory
{
    public RateLimitFactory()
    {
        Settings["RateLimits:ApiRequestsPerMinute"] = "3";
        Settings["RateLimits:TokenRequestsPerMinute"] = "3";
    }
}

/// <summary>
/// The limits per OAuth client at <c>/v1</c> and <c>/oidc/token</c>: the draft's <c>RateLimit-Policy</c>
/// and <c>RateLimit</c> fields on every answer, 429 with <c>Retry-After</c> over the quota, another
/// client unaffected, and the next minute's window serving again. A refused request loses nothing.
/// </summary>
public sealed class RateLimitTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    [Fact]
    public async Task TheFourthApiCallInAMinute_Is429WithRetryAfter_AnotherAppIsUnaffected_AndTheNextMinuteServesAgain()
    {
        var app = await factory.ConnectAppAsync();
        var other = await factory.ConnectAppAsync(userName: "Ada Lovelace");
        using var http = factory.Backchannel();

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetApiAsync("/v1/workspace", app.AccessToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("\"api\";q=3;w=60", Assert.Single(ok.Headers.GetValues("RateLimit-Policy")));
            remaining.Add(Assert.Single(ok.Headers.GetValues("RateLimit")).Split(';')[1]);
        }

        Assert.Equal(["r=2", "r=1", "r=0"], remaining);
        using var refused = await http.GetApiAsync("/v1/holdings", app.AccessToken);
        var problem = await ApiIntents.ProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal($"\"api\";r=0;t={retryAfter}", Assert.Single(refused.Headers.GetValues("RateLimit")));
        Assert.Contains("more than 3 requests in a minute", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // The budget is the client's: another app still gets its three.
        using var theirs = await http.GetApiAsync("/v1/workspace", other.AccessToken);
        Assert.Equal(HttpStatusCode.OK, theirs.StatusCode);

        // Public endpoints have no caller and no budget.
        using var providers = await http.GetApiAsync("/v1/providers", null);
        Assert.Equal(HttpStatusCode.OK, providers.StatusCode);
        Assert.False(providers.Headers.Contains("RateLimit"));

        factory.Clock.Advance(TimeSpan.FromSeconds(retryAfter));
        using var again = await http.GetApiAsync("/v1/holdings", app.AccessToken);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.StartsWith("\"api\";r=2;t=", Assert.Single(again.Headers.GetValues("RateLimit")), StringComparison.Ordinal);

        // The refusal is metered like any call, so the usage page counts it: 3 + 1 + 1 = 5.
        var metered = await factory.MeteredAsync(app.Client.ClientId, 5);
        Assert.Equal([(200, 4), (429, 1)], metered.GroupBy(r => r.StatusCode).OrderBy(g => g.Key).Select(g => (g.Key, g.Count())));
    }

    [Fact]
    public async Task TheTokenEndpoint_LimitsEachClient_AndARefusedRefreshTokenStillWorksAfterTheWindow()
    {
        // Connecting the app used one token request (the code exchange): two refreshes remain.
        var app = await factory.ConnectAppAsync();
        using var server = factory.Backchannel();
        var refreshToken = app.Tokens.RefreshToken!;
        for (var i = 0; i < 2; i++)
        {
            var refreshed = await server.RefreshAsync(app.Client.ClientId, app.Client.Secret, refreshToken);
            Assert.Equal(HttpStatusCode.OK, refreshed.Status);
            refreshToken = refreshed.RefreshToken!;
        }

        var refused = await server.RefreshAsync(app.Client.ClientId, app.Client.Secret, refreshToken);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.Status);
        Assert.Equal("too_many_requests", refused.Json.GetProperty("error").GetString());
        var retryAfter = int.Parse(Assert.Single(refused.Response.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal("\"token\";q=3;w=60", Assert.Single(refused.Response.Headers.GetValues("RateLimit-Policy")));
        Assert.Equal($"\"token\";r=0;t={retryAfter}", Assert.Single(refused.Response.Headers.GetValues("RateLimit")));

        // The client id in the form body counts against the same budget as in Basic authentication.
        var inTheForm = await server.TokenAsync(app.Client.ClientId, app.Client.Secret,
            new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken }, basicAuth: false);
        Assert.Equal(HttpStatusCode.TooManyRequests, inTheForm.Status);

        // Another client is not affected, even one that sends garbage.
        var stranger = await server.TokenAsync("kc_someone_else", null, new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = "nope" });
        Assert.NotEqual(HttpStatusCode.TooManyRequests, stranger.Status);
        Assert.False(stranger.Response.Headers.Contains("Retry-After"));

        // The refused request never reached the server: the refresh token it carried still works.
        factory.Clock.Advance(TimeSpan.FromSeconds(retryAfter));
        var later = await server.RefreshAsync(app.Client.ClientId, app.Client.Secret, refreshToken);
        Assert.Equal(HttpStatusCode.OK, later.Status);
    }

    [Fact]
    public async Task AWorkspacesOwnLimit_ReplacesTheDefault_ForItsApps_AndItsSettingsPageShowsIt()
    {
        var app = await factory.ConnectAppAsync(userName: "Enterprise User");
        using var http = factory.Backchannel();
        using var first = await http.GetApiAsync("/v1/workspace", app.AccessToken);
        var workspaceId = (await ApiIntents.JsonAsync(first)).GetProperty("data").GetProperty("id").GetGuid();

        // What an operator's RateLimits:Workspaces:{id} setting does, applied to the running host.
        var options = factory.Services.GetRequiredService<IOptionsMonitor<RateLimitOptions>>().CurrentValue;
        options.Workspaces[workspaceId] = new WorkspaceRateLimits { ApiRequestsPerMinute = 5 };
        try
        {
            using var second = await http.GetApiAsync("/v1/workspace", app.AccessToken);
            Assert.Equal("\"api\";q=5;w=60", Assert.Single(second.Headers.GetValues("RateLimit-Policy")));
            // 1 call before the override, then 4 more are allowed: 5 in all.
            Assert.StartsWith("\"api\";r=3;", Assert.Single(second.Headers.GetValues("RateLimit")), StringComparison.Ordinal);

            using var member = await factory.LoginAsync(app.User);
            var page = await member.GetPageAsync($"/workspaces/{workspaceId}/settings");
            var limits = page.QuerySelector("#rate-limits")!.TextContent;
            Assert.Contains("5 requests a minute for each app and each API key", limits, StringComparison.Ordinal);
            Assert.Contains("3 requests a minute for each app", limits.Split("Token endpoint")[1], StringComparison.Ordinal);
        }
        finally
        {
            options.Workspaces.Remove(workspaceId);
        }
    }

    [Fact]
    public async Task AnApiKey_HasItsOwnBudget_AndIsRefusedWith429LikeAnApp()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync("Key Budget");
        var (_, key) = await owner.CreateKeyAsync(workspaceId);
        var (_, other) = await owner.CreateKeyAsync(workspaceId, name: "Second server");
        using var http = factory.Backchannel();

        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetWithKeyAsync("/v1/workspace", key);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var refused = await http.GetWithKeyAsync("/v1/workspace", key);
        var problem = await ApiIntents.ProblemAsync(refused, HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.StartsWith("This API key made more than 3 requests", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.True(refused.Headers.Contains("Retry-After"));

        // Each key has its own budget, even in the same workspace.
        using var second = await http.GetWithKeyAsync("/v1/workspace", other);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.StartsWith("\"api\";r=2;", Assert.Single(second.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        owner.Dispose();
    }
}
