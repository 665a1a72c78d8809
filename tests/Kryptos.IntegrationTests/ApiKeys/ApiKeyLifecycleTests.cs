using System.Net;
using System.Net.Http.Headers;
using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Demo;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ApiKeys;

/// <summary>
/// A workspace API key from creation in the portal to revocation: it reads its own workspace with its
/// own scopes at /v1, from its allowed addresses, never another workspace's data, and stops working
/// once revoked.
/// </summary>
public sealed class ApiKeyLifecycleTests(ApiKeyFactory factory) : IClassFixture<ApiKeyFactory>
{
    private static readonly TimeSpan RevocationDeadline = TimeSpan.FromSeconds(5);

    [Fact]
    public async Task AKeyCreatedInThePortal_ReadsItsWorkspace()
    {
        var (owner, client, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadDemoAsync(workspaceId));
        }

        var (keyId, key) = await client.CreateKeyAsync(workspaceId);
        using var http = factory.ApiClient();

        using (var response = await http.GetWithKeyAsync("/v1/workspace", key))
        {
            var body = await JsonAsync(response);
            Assert.Equal(workspaceId.ToString(), body.GetProperty("data").GetProperty("id").GetString());
        }

        using (var response = await http.GetWithKeyAsync("/v1/holdings", key))
        {
            var body = await JsonAsync(response);
            Assert.NotEmpty(body.GetProperty("data").EnumerateArray());
        }

        using (var response = await http.GetWithKeyAsync("/v1/users/me", key))
        {
            var body = await JsonAsync(response);
            Assert.Equal((await factory.UserIdAsync(owner)).ToString(), body.GetProperty("data").GetProperty("id").GetString());
        }

        // The key is shown once: the page again shows only its prefix and last four.
        var details = await client.GetPageAsync($"/workspaces/{workspaceId}/keys/{keyId}");
        Assert.Null(details.QuerySelector("#new-api-key"));
        Assert.DoesNotContain(key, details.Body!.InnerHtml, StringComparison.Ordinal);
        Assert.Contains($"{key[..17]}…{key[^4..]}", details.Body!.TextContent, StringComparison.Ordinal);
        var list = await client.GetPageAsync($"/workspaces/{workspaceId}/keys");
        Assert.Contains("Reporting server", list.Body!.TextContent, StringComparison.Ordinal);
        Assert.Contains(owner.Email, list.Body!.TextContent, StringComparison.Ordinal);
        var dashboard = await client.GetPageAsync($"/workspaces/{workspaceId}");
        Assert.Contains("1 active API key", dashboard.QuerySelector("[aria-labelledby='keys-heading']")!.TextContent, StringComparison.Ordinal);

        var audit = await factory.WithDbAsync(db => db.AuditEvents.Where(e => e.WorkspaceId == workspaceId && e.Action == AuditActions.ApiKeyCreated).ToListAsync());
        var created = Assert.Single(audit);
        Assert.Equal(owner.Email, created.ActorEmail);
        Assert.DoesNotContain(key, created.Summary, StringComparison.Ordinal);

        // Last use is written in a batch within a few seconds (192.0.2.1 is the factory's default client address).
        await WithinAsync(TimeSpan.FromSeconds(15), async () =>
            await factory.WithDbAsync(db => db.ApiKeys.AnyAsync(k => k.Id == keyId && k.LastUsedIp == "192.0.2.1")), "last use recorded");
        list = await client.GetPageAsync($"/workspaces/{workspaceId}/keys");
        Assert.Contains("from 192.0.2.1", list.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AScopeTheKeyLacks_Is403InsufficientScope()
    {
        var (_, client, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (_, key) = await client.CreateKeyAsync(workspaceId, new Dictionary<string, string> { ["Form.Scopes"] = "workspace:read" });
        using var http = factory.ApiClient();

        using (var allowed = await http.GetWithKeyAsync("/v1/workspace", key))
        {
            await JsonAsync(allowed);
        }

        using var response = await http.GetWithKeyAsync("/v1/holdings", key);
        var problem = await ProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
        Assert.Equal("portfolios:read", problem.GetProperty("scope").GetString());
    }

    [Fact]
    public async Task AKey_NeverReadsAnotherWorkspace()
    {
        var (_, clientA, workspaceA) = await factory.OwnerWithWorkspaceAsync("Alpha");
        var (_, clientB, workspaceB) = await factory.OwnerWithWorkspaceAsync("Beta");
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            // Only B has books: A's key must see none of them.
            Assert.NotNull(await scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadDemoAsync(workspaceB));
        }

        var (_, keyA) = await clientA.CreateKeyAsync(workspaceA);
        var (_, keyB) = await clientB.CreateKeyAsync(workspaceB);
        using var http = factory.ApiClient();

        using (var response = await http.GetWithKeyAsync("/v1/holdings", keyA))
        {
            Assert.Empty((await JsonAsync(response)).GetProperty("data").EnumerateArray());
        }

        using (var response = await http.GetWithKeyAsync("/v1/holdings", keyB))
        {
            Assert.NotEmpty((await JsonAsync(response)).GetProperty("data").EnumerateArray());
        }

        using (var response = await http.GetWithKeyAsync("/v1/workspace", keyA))
        {
            Assert.Equal(workspaceA.ToString(), (await JsonAsync(response)).GetProperty("data").GetProperty("id").GetString());
        }

        // B's owner cannot see A's key in the portal either.
        var keyIdA = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.WorkspaceId == workspaceA).Select(k => k.Id).SingleAsync());
        using var foreign = await clientB.Http.GetAsync($"/workspaces/{workspaceB}/keys/{keyIdA}");
        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
    }

    [Fact]
    public async Task TheIpAllowList_IsEnforced()
    {
        var (_, client, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (_, key) = await client.CreateKeyAsync(workspaceId, new Dictionary<string, string>
        {
            ["Form.AllowedNetworks"] = "203.0.113.0/24\n2001:db8::/32",
        });
        var stored = await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.WorkspaceId == workspaceId).Select(k => k.AllowedNetworks).SingleAsync());
        Assert.Equal("203.0.113.0/24 2001:db8::/32", stored);

        foreach (var inside in new[] { "203.0.113.9", "2001:db8::5" })
        {
            using var http = factory.ApiClient(inside);
            using var response = await http.GetWithKeyAsync("/v1/workspace", key);
            await JsonAsync(response);
        }

        foreach (var outside in new[] { "198.51.100.1", "203.0.114.1", "2001:db9::1" })
        {
            using var http = factory.ApiClient(outside);
            using var response = await http.GetWithKeyAsync("/v1/workspace", key);
            await ProblemAsync(response, HttpStatusCode.Forbidden, "ip_not_allowed");
        }
    }

    [Fact]
    public async Task ARevokedKey_Is401InvalidApiKey_LikeAnUnknownOne()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (viewerUser, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);
        var (keyId, key) = await owner.CreateKeyAsync(workspaceId);
        using var http = factory.ApiClient();
        using (var response = await http.GetWithKeyAsync("/v1/workspace", key))
        {
            await JsonAsync(response);
        }

        // A viewer sees the key but cannot revoke it, not even by posting the form by hand.
        var viewerPage = await viewer.GetPageAsync($"/workspaces/{workspaceId}/keys/{keyId}");
        Assert.Null(viewerPage.QuerySelector("form[action*='handler=Revoke']"));
        using (var denied = await viewer.PostDirectAsync($"/workspaces/{workspaceId}/keys/{keyId}?handler=Revoke", [new("ConfirmRevoke", "true")]))
        {
            Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        }

        // Without ticking the confirmation nothing happens.
        using (var unconfirmed = await owner.SubmitAsync($"/workspaces/{workspaceId}/keys/{keyId}", formSelector: "form[action*='handler=Revoke']"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        }

        using (var response = await http.GetWithKeyAsync("/v1/workspace", key))
        {
            await JsonAsync(response);
        }

        using (var revoke = await owner.SubmitAsync($"/workspaces/{workspaceId}/keys/{keyId}",
                   new Dictionary<string, string> { ["ConfirmRevoke"] = "true" }, "form[action*='handler=Revoke']"))
        {
            owner.AssertStatus(HttpStatusCode.Redirect, revoke);
        }

        await WithinAsync(RevocationDeadline, async () =>
        {
            using var response = await http.GetWithKeyAsync("/v1/workspace", key);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "revoked key refused");
        using var revoked = await http.GetWithKeyAsync("/v1/workspace", key);
        var revokedProblem = await ProblemAsync(revoked, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.StartsWith("Bearer error=\"invalid_token\"", revoked.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);

        using var unknown = await http.GetWithKeyAsync("/v1/workspace", ApiKeyFormat.Create());
        var unknownProblem = await ProblemAsync(unknown, HttpStatusCode.Unauthorized, "invalid_api_key");
        Assert.Equal(unknownProblem.GetProperty("detail").GetString(), revokedProblem.GetProperty("detail").GetString());

        var row = await factory.WithDbAsync(db => db.ApiKeys.SingleAsync(k => k.Id == keyId));
        Assert.Equal($"revoked by {(await factory.WithDbAsync(db => db.Users.SingleAsync(u => u.Id == row.CreatedByUserId))).Email}", row.RevokedReason);
        Assert.True(await factory.WithDbAsync(db => db.AuditEvents.AnyAsync(e => e.WorkspaceId == workspaceId && e.Action == AuditActions.ApiKeyRevoked)));
        Assert.NotEqual(viewerUser.Email, row.CreatedByEmail);
    }

    [Fact]
    public async Task AKeyRevokedElsewhere_StopsWorkingAtTheNextReload()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (keyId, key) = await owner.CreateKeyAsync(workspaceId);
        using var http = factory.ApiClient();
        using (var response = await http.GetWithKeyAsync("/v1/workspace", key))
        {
            await JsonAsync(response);
        }

        // Another instance revokes it: only the database changes, this instance learns it on reload.
        await factory.WithDbAsync(db => db.ApiKeys.Where(k => k.Id == keyId)
            .ExecuteUpdateAsync(s => s.SetProperty(k => k.RevokedAt, DateTimeOffset.UtcNow).SetProperty(k => k.RevokedReason, "revoked by another instance")));

        var took = await WithinAsync(RevocationDeadline, async () =>
        {
            using var response = await http.GetWithKeyAsync("/v1/workspace", key);
            return response.StatusCode == HttpStatusCode.Unauthorized;
        }, "key revoked on another instance refused");
        Assert.True(took < RevocationDeadline);
    }

    [Fact]
    public async Task IllFormedKeys_AreRefusedWithoutALookup()
    {
        using var http = factory.ApiClient();
        var view = factory.Services.GetRequiredService<ApiKeyView>();
        var lookups = view.KeyLookups;
        var real = ApiKeyFormat.Create();
        foreach (var bad in new[] { "garbage", real[..^1] + (real[^1] == 'a' ? 'b' : 'a'), "kryptos_live_" + new string('a', 49), real + "x", new string('k', 5000) })
        {
            using var response = await http.GetWithKeyAsync("/v1/workspace", bad);
            await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_api_key");
        }

        Assert.Equal(lookups, view.KeyLookups);
    }

    [Theory]
    [InlineData("api_key")]
    [InlineData("apikey")]
    [InlineData("key")]
    [InlineData("X-API-Key")]
    public async Task AKeyInTheQueryString_IsRefused(string parameter)
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (_, key) = await owner.CreateKeyAsync(workspaceId);
        using var http = factory.ApiClient();

        using var response = await http.GetAsync(new Uri($"/v1/workspace?{parameter}={key}", UriKind.Relative));

        await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_request");
        Assert.Contains("error=\"invalid_request\"", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyInAFormBody_OrWithABearerToken_IsRefused()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (_, key) = await owner.CreateKeyAsync(workspaceId);
        using var http = factory.ApiClient();

        using (var inForm = new HttpRequestMessage(HttpMethod.Get, "/v1/workspace") { Content = new FormUrlEncodedContent([new("api_key", key)]) })
        using (var response = await http.SendAsync(inForm))
        {
            await ProblemAsync(response, HttpStatusCode.Unauthorized, "invalid_request");
        }

        using var both = new HttpRequestMessage(HttpMethod.Get, "/v1/workspace");
        both.Headers.Add("X-API-Key", key);
        both.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "some-token");
        using var bothResponse = await http.SendAsync(both);
        await ProblemAsync(bothResponse, HttpStatusCode.Unauthorized, "invalid_request");
    }

    [Fact]
    public async Task HostileFormInput_GetsFieldErrors_AndCreatesNothing()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var cases = new (Dictionary<string, string> Fields, string Field)[]
        {
            (new() { ["Form.Name"] = new string('n', 10_000) }, "Form.Name"),
            (new() { ["Form.Name"] = "   " }, "Form.Name"),
            (new() { ["Form.Name"] = "Tab\tname" }, "Form.Name"),
            (new() { ["Form.AllowedNetworks"] = "10.0.0.0/33" }, "Form.AllowedNetworks"),
            (new() { ["Form.AllowedNetworks"] = "999.1.1.1" }, "Form.AllowedNetworks"),
            (new() { ["Form.AllowedNetworks"] = string.Join('\n', Enumerable.Range(1, 21).Select(i => $"10.0.0.{i}")) }, "Form.AllowedNetworks"),
            (new() { ["Form.Scopes"] = "" }, "Form.Scopes"),
            (new() { ["Form.Scopes"] = "openid" }, "Form.Scopes"),
            (new() { ["Form.Expiry"] = "7" }, "Form.Expiry"),
        };
        foreach (var (fields, field) in cases)
        {
            fields.TryAdd("Form.Name", "Server");
            using var response = await owner.SubmitAsync($"/workspaces/{workspaceId}/keys/new", fields);
            var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
            Assert.False(string.IsNullOrEmpty(page.FieldError(field)), $"No message for {field} with {string.Join(", ", fields.Keys)}");
        }

        // The framework refuses a form with a NUL byte before any page sees it: a 400 page, nothing created.
        foreach (var (field, value) in new[] { ("Form.Name", "Evil\0name"), ("Form.AllowedNetworks", "10.0.0.1\0") })
        {
            using var response = await owner.SubmitAsync($"/workspaces/{workspaceId}/keys/new", new Dictionary<string, string> { ["Form.Name"] = "Server", [field] = value });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.DoesNotContain('\0', await response.Content.ReadAsStringAsync());
        }

        Assert.Equal(0, await factory.WithDbAsync(db => db.ApiKeys.CountAsync(k => k.WorkspaceId == workspaceId)));
    }

    [Fact]
    public async Task AViewer_SeesTheListButCannotCreate()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);
        var (_, editor) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Editor);

        var list = await viewer.GetPageAsync($"/workspaces/{workspaceId}/keys");
        Assert.Null(list.QuerySelector($"a[href='/workspaces/{workspaceId}/keys/new']"));
        foreach (var member in new[] { viewer, editor })
        {
            using var form = await member.Http.GetAsync($"/workspaces/{workspaceId}/keys/new");
            Assert.Equal(HttpStatusCode.Forbidden, form.StatusCode);
            using var post = await member.PostDirectAsync($"/workspaces/{workspaceId}/keys/new",
                [new("Form.Name", "Sneaky"), new("Form.Scopes", "portfolios:read"), new("Form.Expiry", "never")]);
            Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);
        }

        Assert.Equal(0, await factory.WithDbAsync(db => db.ApiKeys.CountAsync(k => k.WorkspaceId == workspaceId)));
    }

    [Fact]
    public async Task AnUnverifiedOwner_CannotCreateKeys()
    {
        var (_, client) = await factory.SignedInUserAsync(verified: false);
        var workspaceId = await client.CreateWorkspaceAsync();

        using var response = await client.Http.GetAsync($"/workspaces/{workspaceId}/keys/new");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task WhenTheCreatorIsGone_UsersMeIs404_AndTheKeyStillReadsTheWorkspace()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (adminUser, admin) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Admin);
        var (_, key) = await admin.CreateKeyAsync(workspaceId);

        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Kryptos.Connect.Core.User>>();
            Assert.True((await users.DeleteAsync((await users.FindByEmailAsync(adminUser.Email))!)).Succeeded);
        }

        using var http = factory.ApiClient();
        await WithinAsync(RevocationDeadline, async () =>
        {
            using var response = await http.GetWithKeyAsync("/v1/users/me", key);
            return response.StatusCode == HttpStatusCode.NotFound;
        }, "users/me of a deleted creator");
        using (var me = await http.GetWithKeyAsync("/v1/users/me", key))
        {
            await ProblemAsync(me, HttpStatusCode.NotFound, "not_found");
        }

        using var workspace = await http.GetWithKeyAsync("/v1/workspace", key);
        await JsonAsync(workspace);
    }

    [Fact]
    public async Task TheKey_IsNeverInTheDatabase_NorInTheLogs()
    {
        var (_, owner, workspaceId) = await factory.OwnerWithWorkspaceAsync();
        var (_, key) = await owner.CreateKeyAsync(workspaceId);
        using var http = factory.ApiClient();
        using (var response = await http.GetWithKeyAsync("/v1/workspace", key))
        {
            await JsonAsync(response);
        }

        var body = key[ApiKeyFormat.Prefix.Length..(ApiKeyFormat.Prefix.Length + ApiKeyFormat.BodyLength)];
        var (tables, values) = await TestDatabase.DumpAsync(factory.Root);
        Assert.Contains("ApiKeys", tables);
        Assert.Contains(key[^4..], values); // the dump reads rows: the key's last four characters are stored, for display
        Assert.DoesNotContain(values, v => v.Contains(body, StringComparison.Ordinal));

        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains(body, StringComparison.Ordinal));
    }
}
