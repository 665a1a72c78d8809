using System.Net;
using Microsoft.EntityFrameworkCore;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ApiKeys;

/// <summary>A key's expiry, on the host's clock (moved, never waited for). Its own host: moving the clock would disturb other tests.</summary>
public sealed class ApiKeyExpiryTests(ApiKeyFactory factory) : IClassFixture<ApiKeyFactory>
{
    [Fact]
    public async Task AKey_WorksUntilItsExpiry_ThenIs401ApiKeyExpired()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (thirtyId, thirtyDays) = await owner.CreateKeyAsync(workspaceId, new Dictionary<string, string> { ["Form.Expiry"] = "30" }, "Thirty days");
        var (neverId, never) = await owner.CreateKeyAsync(workspaceId, new Dictionary<string, string> { ["Form.Expiry"] = "never" }, "Forever");
        var rows = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.WorkspaceId == workspaceId).ToListAsync());
        var thirty = rows.Single(k => k.Id == thirtyId);
        Assert.Equal(thirty.CreatedAt + TimeSpan.FromDays(30), thirty.ExpiresAt);
        Assert.Null(rows.Single(k => k.Id == neverId).ExpiresAt);

        // Moving the host's clock by 30 days at once would fire every one-minute timer 43,200 times, so
        // the 30-day key is brought to its last hour instead (as another instance would see it on reload).
        var expiresAt = factory.Clock.GetUtcNow() + TimeSpan.FromHours(1);
        await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.Id == thirtyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.ExpiresAt, expiresAt)));
        using var http = factory.ApiClient();
        using (var response = await http.GetWithKeyAsync("/v1/workspace", thirtyDays))
        {
            await JsonAsync(response);
        }

        // Two hours later it is an hour past its expiry; the view reloads every 2 s, so within 5 s it knows the new expiry.
        factory.Clock.Advance(TimeSpan.FromHours(2));
        await WithinAsync(TimeSpan.FromSeconds(5), async () =>
        {
            using var response = await http.GetWithKeyAsync("/v1/workspace", thirtyDays);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "expired key refused");
        using (var response = await http.GetWithKeyAsync("/v1/workspace", thirtyDays))
        {
            await ProblemAsync(response, HttpStatusCode.Unauthorized, "api_key_expired");
            Assert.StartsWith("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        using (var response = await http.GetWithKeyAsync("/v1/workspace", never))
        {
            await JsonAsync(response);
        }

        var list = await owner.GetPageAsync($"/workspaces/{workspaceId}/keys");
        Assert.Contains("expired", list.Body!.TextContent, StringComparison.Ordinal);
    }
}
