using System.Net;
using System.Text;
using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Core.Audit;
using Microsoft.EntityFrameworkCore;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ApiKeys;

/// <summary>
/// <c>POST /v1/keys/leaked</c>, what secret scanners call: public, revokes every live key it is given,
/// tells the owners, and answers the same whatever it finds. Each test calls from its own address, so
/// the per-IP limit of one test does not touch another.
/// </summary>
public sealed class ApiKeyLeakReportTests(ApiKeyFactory factory) : IClassFixture<ApiKeyFactory>
{
    [Fact]
    public async Task AReportedKey_IsRevoked_TheOwnerMailed_AndAudited()
    {
        var (owner, client, workspaceId) = await factory.OwnerWithWorkspaceAsync("Leaky Ltd");
        var (keyId, key) = await client.CreateKeyAsync(workspaceId, name: "CI server");
        var (_, other) = await client.CreateKeyAsync(workspaceId, name: "Untouched");
        using var scanner = factory.ApiClient("198.51.100.10");
        using var api = factory.ApiClient();

        var (status, body) = await ReportAsync(scanner, $"[\"{key}\", \"garbage\", \"{ApiKeyFormat.Create()}\"]");
        var (unknownStatus, unknownBody) = await ReportAsync(scanner, $"[\"{ApiKeyFormat.Create()}\"]");
        var (againStatus, againBody) = await ReportAsync(scanner, $"[\"{key}\"]");

        // One answer whatever was found: no oracle.
        Assert.Equal(HttpStatusCode.Accepted, status);
        Assert.Equal((status, body), (unknownStatus, unknownBody));
        Assert.Equal((status, body), (againStatus, againBody));

        await WithinAsync(TimeSpan.FromSeconds(5), async () =>
        {
            using var response = await api.GetWithKeyAsync("/v1/workspace", key);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "reported key refused");
        using (var response = await api.GetWithKeyAsync("/v1/workspace", other))
        {
            await JsonAsync(response);
        }

        var row = await factory.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Id == keyId));
        Assert.Equal(ApiKeyService.LeakedReason, row.RevokedReason);
        var audit = await factory.WithDbAsync(db => db.AuditEvents.Where(e => e.WorkspaceId == workspaceId && e.Action == AuditActions.ApiKeyLeakReported).ToListAsync());
        Assert.Contains("CI server", Assert.Single(audit).Summary, StringComparison.Ordinal);
        var mails = factory.Mailbox.To(owner.Email).Where(m => m.Subject?.Contains("leaked", StringComparison.Ordinal) == true).ToList();
        var mail = Assert.Single(mails);
        Assert.Contains("Leaky Ltd", mail.Subject, StringComparison.Ordinal);
        Assert.Contains("CI server", mail.TextBody!, StringComparison.Ordinal);
        Assert.DoesNotContain(key, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"/workspaces/{workspaceId}/keys/{keyId}", mail.TextBody, StringComparison.Ordinal);

        var page = await client.GetPageAsync($"/workspaces/{workspaceId}/keys/{keyId}");
        Assert.Contains("reported as leaked", page.Body!.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"keys\": []}")]
    [InlineData("[1, 2]")]
    [InlineData("[null]")]
    [InlineData("\"kryptos_live_\"")]
    [InlineData("[\"a\"")]
    public async Task BadBodies_Are400Problems(string json)
    {
        using var scanner = factory.ApiClient("198.51.100.20");
        using var content = new StringContent(json, Encoding.UTF8, "application/json");

        using var response = await scanner.PostAsync(new Uri("/v1/keys/leaked", UriKind.Relative), content);

        await ProblemAsync(response, HttpStatusCode.BadRequest, "invalid_body");
    }

    [Fact]
    public async Task TooManyOrTooLongStrings_Are400()
    {
        using var scanner = factory.ApiClient("198.51.100.21");

        var (tooMany, _) = await ReportAsync(scanner, "[" + string.Join(',', Enumerable.Repeat("\"x\"", 101)) + "]");
        var (tooLong, _) = await ReportAsync(scanner, $"[\"{new string('x', 201)}\"]");
        var (justRight, _) = await ReportAsync(scanner, "[" + string.Join(',', Enumerable.Repeat($"\"{new string('x', 200)}\"", 100)) + "]");

        Assert.Equal(HttpStatusCode.BadRequest, tooMany);
        Assert.Equal(HttpStatusCode.BadRequest, tooLong);
        Assert.Equal(HttpStatusCode.Accepted, justRight);
    }

    [Fact]
    public async Task Reports_AreLimitedPerAddress()
    {
        using var scanner = factory.ApiClient("198.51.100.30");
        using var elsewhere = factory.ApiClient("198.51.100.31");
        for (var i = 0; i < ApiKeyLeakReports.PermitsPerMinute; i++)
        {
            Assert.Equal(HttpStatusCode.Accepted, (await ReportAsync(scanner, "[]")).Status);
        }

        using var content = new StringContent("[]", Encoding.UTF8, "application/json");
        using var limited = await scanner.PostAsync(new Uri("/v1/keys/leaked", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.NotNull(limited.Headers.RetryAfter);
        Assert.Equal(HttpStatusCode.Accepted, (await ReportAsync(elsewhere, "[]")).Status);
    }

    private static async Task<(HttpStatusCode Status, string Body)> ReportAsync(HttpClient http, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/keys/leaked", UriKind.Relative), content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
