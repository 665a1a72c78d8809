using System.Globalization;
using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>The audit log page: who did what, when and from where, newest first, of this workspace only.</summary>
public sealed class AuditLogTests(AuditLogTests.FixedAddressFactory factory) : IClassFixture<AuditLogTests.FixedAddressFactory>
{
    /// <summary>Every request comes from one documented address.</summary>
    public sealed class FixedAddressFactory : ClientAddressFactory
    {
        public static readonly IPAddress ClientAddress = IPAddress.Parse("203.0.113.7");

        protected override IPAddress DefaultAddress => ClientAddress;
    }

    [Fact]
    public async Task AuditLog_ShowsTimeActorActionDetailsAndIpAddressOfEachEvent()
    {
        var started = DateTimeOffset.UtcNow;
        var (owner, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Traceable");
        var (member, _) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Editor);

        var page = await ownerClient.GetPageAsync($"/workspaces/{workspaceId}/audit");

        var headers = page.QuerySelectorAll("main table thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Equal(["Time (UTC)", "Actor", "Action", "Details", "IP address"], headers);
        var rows = page.QuerySelectorAll("main table tbody tr")
            .Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList())
            .ToList();
        Assert.Equal(3, rows.Count);
        Assert.Equal(
        [
            (member.Email, AuditActions.InvitationAccepted, $"{member.Email} joined as editor"),
            (owner.Email, AuditActions.MemberInvited, $"Invited {member.Email} as editor"),
            (owner.Email, AuditActions.WorkspaceCreated, "Created workspace \"Traceable\""),
        ], rows.Select(r => (r[1], r[2], r[3])).ToList());
        Assert.All(rows, row =>
        {
            var time = DateTimeOffset.ParseExact(row[0], "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
            Assert.InRange(time, started.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
            Assert.Equal("203.0.113.7", row[4]);
        });
        Assert.All(await factory.AuditEventsAsync(workspaceId), e => Assert.Equal("203.0.113.7", e.IpAddress));
        ownerClient.Dispose();
    }

    [Fact]
    public async Task AuditLog_ListsTheNewestEventFirst()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("First");
        foreach (var name in new[] { "Second", "Third", "Fourth" })
        {
            using var response = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string> { ["Input.Name"] = name });
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        }

        var page = await client.GetPageAsync($"/workspaces/{workspaceId}/audit");

        var rows = page.QuerySelectorAll("main table tbody tr").Select(tr => tr.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(
        [
            "Changed name from \"Third\" to \"Fourth\"",
            "Changed name from \"Second\" to \"Third\"",
            "Changed name from \"First\" to \"Second\"",
            "Created workspace \"First\"",
        ], rows.Select(r => r[3]).ToList());
        var times = rows.Select(r => r[0]).ToList();
        Assert.Equal(times.OrderDescending(StringComparer.Ordinal), times);
        client.Dispose();
    }

    [Fact]
    public async Task AuditLog_ShowsOnlyTheWorkspacesOwnEvents()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Mine Alone");
        var siblingId = await client.CreateWorkspaceAsync("Sibling");
        await factory.InviteAsync(client, siblingId, Intents.NewEmail("sibling-guest"), WorkspaceRole.Viewer);
        var (_, stranger) = await factory.SignedInUserAsync();
        var strangersId = await stranger.CreateWorkspaceAsync("Stranger Things");
        await factory.InviteAsync(stranger, strangersId, Intents.NewEmail("stranger-guest"), WorkspaceRole.Viewer);

        var page = await client.GetPageAsync($"/workspaces/{workspaceId}/audit");

        var summaries = page.QuerySelectorAll("main table tbody tr td:nth-child(4)").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(["Created workspace \"Mine Alone\""], summaries);
        var siblingPage = await client.GetPageAsync($"/workspaces/{siblingId}/audit");
        var siblingActions = siblingPage.QuerySelectorAll("main table tbody code").Select(c => c.TextContent).ToList();
        Assert.Equal([AuditActions.MemberInvited, AuditActions.WorkspaceCreated], siblingActions);
        Assert.DoesNotContain("Stranger Things", siblingPage.Body!.TextContent, StringComparison.Ordinal);
        client.Dispose();
        stranger.Dispose();
    }
}
