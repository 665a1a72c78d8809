using System.Net;
using Kryptos.Connect.Usage;
using Kryptos.IntegrationTests.ConnectApi;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.IntegrationTests.Usage;

/// <summary>Every /v1 request made with a real token is metered: route template, scope, status, client, grant, user.</summary>
public sealed class MeteringTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task KnownRequests_AreMeteredOncePerRouteStatusClientAndUser()
    {
        // users:read and transactions:read, not portfolios:read: /v1/holdings is a 403.
        var app = await factory.ConnectAppAsync("openid users:read transactions:read");
        using var http = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        var recorder = factory.Services.GetRequiredService<UsageRecorder>();
        var unattributedBefore = recorder.Unattributed;

        for (var i = 0; i < 3; i++)
        {
            using var ok = await http.GetApiAsync("/v1/users/me", app.AccessToken);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var forbidden = await http.GetApiAsync("/v1/holdings", app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        }

        for (var i = 0; i < 2; i++)
        {
            using var missing = await http.GetApiAsync($"/v1/transactions/{Guid.NewGuid()}", app.AccessToken);
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        }

        using (var unknown = await http.GetApiAsync("/v1/no-such-thing/42", app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using (var anonymous = await http.GetApiAsync("/v1/users/me", accessToken: null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        }

        // 3 + 1 + 2 + 1 = 7 attributed requests; the anonymous one belongs to no workspace.
        var records = await factory.MeteredAsync(app.Client.ClientId, 7);
        Assert.Equal(7, records.Count);
        var counts = records.GroupBy(r => (r.Route, r.StatusCode, r.Scope)).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(4, counts.Count);
        Assert.Equal(3, counts[("GET /v1/users/me", 200, "users:read")]);
        Assert.Equal(1, counts[("GET /v1/holdings", 403, "portfolios:read")]);
        Assert.Equal(2, counts[("GET /v1/transactions/{id}", 404, "transactions:read")]);
        Assert.Equal(1, counts[("GET /v1/*", 404, null)]);

        var userId = await factory.WithDbAsync(db => db.Users.Where(u => u.Email == app.User.Email).Select(u => u.Id).SingleAsync());
        var grant = await factory.WithDbAsync(db => db.OAuthGrants.Where(g => g.Subject == userId.ToString()).Select(g => new { g.Id, g.WorkspaceId }).SingleAsync());
        Assert.All(records, r =>
        {
            Assert.Equal(userId, r.UserId);
            Assert.Equal(grant.WorkspaceId, r.WorkspaceId);
            Assert.Equal(grant.Id, r.GrantId);
            Assert.Null(r.ApiKeyId);
            Assert.Equal("GET", r.Method);
            Assert.True(r.LatencyMs >= 0);
            Assert.Equal(TimeSpan.Zero, r.OccurredAt.Offset);
        });
        Assert.True(recorder.Unattributed >= unattributedBefore + 1);
        Assert.Equal(0, recorder.Dropped);
    }

    [Fact]
    public async Task HostileRequests_AreMeteredWithoutTheirIdsOrMethodNames()
    {
        var app = await factory.ConnectAppAsync("openid users:read transactions:read");
        using var http = factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        using (var request = new HttpRequestMessage(new HttpMethod("X" + new string('A', 300)), new Uri("/v1/users/me", UriKind.Relative)))
        {
            request.Headers.Authorization = new("Bearer", app.AccessToken);
            using var response = await http.SendAsync(request);
            Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        }

        using (var nul = await http.GetApiAsync("/v1/transactions/%27%20OR%201%3D1" + new string('9', 1000), app.AccessToken))
        {
            Assert.Equal(HttpStatusCode.NotFound, nul.StatusCode);
        }

        var records = await factory.MeteredAsync(app.Client.ClientId, 2);
        Assert.Contains(records, r => r is { Method: "OTHER", StatusCode: 405 } && r.Route.StartsWith("OTHER /v1/", StringComparison.Ordinal));
        Assert.Contains(records, r => r is { Route: "GET /v1/transactions/{id}", StatusCode: 404 });
        Assert.All(records, r => Assert.DoesNotContain("999", r.Route, StringComparison.Ordinal));
    }
}
