using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ApiKeys;

/// <summary>A key's expiry, on the host's clock (moved, never waited for). Its own host: moving the clock would disturb other tests.</summary>
public sealed class ApiKeyExpiryTests(ApiKeyFactory factory) : IClassFixture<ApiKeyFactory>
{
    [Fact]
    public async Task AKey_WorksUntilItsExpiry_ThenIs401ApiKeyExpired()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (_, thirtyDays) = await owner.CreateKeyAsync(workspaceId, new Dictionary<string, string> { ["Form.Expiry"] = "30" }, "Thirty days");
        var (_, never) = await owner.CreateKeyAsync(workspaceId, new Dictionary<string, string> { ["Form.Expiry"] = "never" }, "Forever");
        using var http = factory.ApiClient();

        // 29 days and 23 hours later: still valid.
        factory.Clock.Advance(TimeSpan.FromDays(30) - TimeSpan.FromHours(1));
        using (var response = await http.GetWithKeyAsync("/v1/workspace", thirtyDays))
        {
            await JsonAsync(response);
        }

        // Two hours later it is 30 days and an hour old.
        factory.Clock.Advance(TimeSpan.FromHours(2));
        using (var response = await http.GetWithKeyAsync("/v1/workspace", thirtyDays))
        {
            await ProblemAsync(response, HttpStatusCode.Unauthorized, "api_key_expired");
            Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        factory.Clock.Advance(TimeSpan.FromDays(3650));
        using (var response = await http.GetWithKeyAsync("/v1/workspace", never))
        {
            await JsonAsync(response);
        }

        // The portal says so too (a new session: the old one is long expired on the moved clock).
        using var reader = await factory.LoginAsync(new TestUser((await factory.WithDbAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(
            db.Users, u => db.WorkspaceMembers.Any(m => m.WorkspaceId == workspaceId && m.UserId == u.Id)))).Email!, Intents.DefaultPassword, ""));
        var list = await reader.GetPageAsync($"/workspaces/{workspaceId}/keys");
        Assert.Contains("expired", list.Body!.TextContent, StringComparison.Ordinal);
    }
}
