using System.Net;
using AngleSharp.Html.Dom;
using Kryptos.Connect.Hosting;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using OpenIddict.Abstractions;

namespace Kryptos.IntegrationTests.Clients;

/// <summary>A developer takes a client from creation through rotation to deletion.</summary>
public sealed class ClientLifecycleTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task CreatingAConfidentialClient_ShowsTheSecretOnce_ThenOnlyItsHint()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();

        var created = await owner.CreateClientAsync(workspaceId, "Acme Tax");

        Assert.StartsWith("kc_", created.ClientId, StringComparison.Ordinal);
        Assert.NotNull(created.Secret);
        Assert.StartsWith("kryptos_cs_", created.Secret, StringComparison.Ordinal);
        Assert.True(created.Secret!.Length >= 50);

        var again = await owner.GetPageAsync(created.DetailsUrl);
        Assert.Null(again.QuerySelector("#new-client-secret"));
        Assert.DoesNotContain(created.Secret, again.Source.Text, StringComparison.Ordinal);
        Assert.Contains("…" + created.Secret[^4..], again.Body!.TextContent, StringComparison.Ordinal);
        Assert.True(await SecretWorksAsync(created.ClientId, created.Secret));
        Assert.False(await SecretWorksAsync(created.ClientId, created.Secret + "x"));
    }

    [Fact]
    public async Task TheSecretIsStoredOnlyAsASha256Hash_AndNeverLogged()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId);

        var (hash, openIddictColumn) = await factory.WithDbAsync(async db =>
        {
            var client = await db.OAuthClients.Include(c => c.Secrets).SingleAsync(c => c.ClientId == created.ClientId);
            return (client.Secrets.Single().Hash, client.ClientSecret);
        });
        Assert.Equal(SecureTokens.Hash(created.Secret!), hash);
        Assert.NotEqual(created.Secret, openIddictColumn);
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains(created.Secret!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheCreateForm_PreselectsTheTwelveDefaultScopes()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();

        var page = await owner.GetPageAsync($"/workspaces/{workspaceId}/clients/new");

        var checkedScopes = page.QuerySelectorAll("input[name='Form.Scopes']").Cast<IHtmlInputElement>().Where(i => i.IsChecked).Select(i => i.Value).ToList();
        Assert.Equal(["openid", "profile", "email", "offline_access", "portfolios:read", "transactions:read", "integrations:read", "tax:read", "accounting:read", "reports:read", "workspace:read", "users:read"], checkedScopes);
        Assert.All(page.QuerySelectorAll("input, textarea, select").Where(e => e.GetAttribute("type") is not ("hidden" or "checkbox" or "radio")),
            e => Assert.NotNull(page.QuerySelector($"label[for='{e.Id}']")));
    }

    [Fact]
    public async Task APublicClient_GetsNoSecret_AndMustUsePkce()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();

        var created = await owner.CreateClientAsync(workspaceId, "Acme CLI", "public", "http://127.0.0.1/callback");

        Assert.Null(created.Secret);
        var (type, requirements, secrets) = await factory.WithDbAsync(async db =>
        {
            var client = await db.OAuthClients.Include(c => c.Secrets).SingleAsync(c => c.ClientId == created.ClientId);
            return (client.ClientType, client.Requirements, client.Secrets.Count);
        });
        Assert.Equal(OpenIddictConstants.ClientTypes.Public, type);
        Assert.Contains(OpenIddictConstants.Requirements.Features.ProofKeyForCodeExchange, requirements!, StringComparison.Ordinal);
        Assert.Equal(0, secrets);
    }

    [Fact]
    public async Task EveryClient_RequiresPkce_AndGetsRefreshTokensOnlyWithOfflineAccess()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        using var response = await owner.PostDirectAsync($"/workspaces/{workspaceId}/clients/new",
            [.. ClientIntents.Fields("No refresh"), new("Form.Scopes", "openid"), new("Form.Scopes", "profile")]);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);

        var permissions = await factory.WithDbAsync(db => db.OAuthClients.Where(c => c.DisplayName == "No refresh" && c.WorkspaceId == workspaceId).Select(c => c.Permissions).SingleAsync());
        Assert.DoesNotContain(OpenIddictConstants.Permissions.GrantTypes.RefreshToken, permissions!, StringComparison.Ordinal);
        Assert.Contains("scp:profile", permissions!, StringComparison.Ordinal);
        Assert.DoesNotContain("scp:email", permissions!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Editing_ChangesNameRedirectUrisAndScopes_AndIsAudited()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId);

        using var response = await owner.SubmitAsync(created.DetailsUrl, new Dictionary<string, string>
        {
            ["Form.Name"] = "Acme Tax v2",
            ["Form.RedirectUris"] = "https://app.example.com/callback\nhttps://app.example.com/other",
            ["Form.AllowedOrigins"] = "https://app.example.com",
        }, "main form:not([action*='handler'])");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var (name, redirects, origins) = await factory.WithDbAsync(db => db.OAuthClients.Where(c => c.ClientId == created.ClientId)
            .Select(c => new ValueTuple<string?, string?, string?>(c.DisplayName, c.RedirectUris, c.AllowedOrigins)).SingleAsync());
        Assert.Equal("Acme Tax v2", name);
        Assert.Contains("https://app.example.com/other", redirects!, StringComparison.Ordinal);
        Assert.Equal("[\"https://app.example.com\"]", origins);
        Assert.Contains("client.updated", await AuditActionsAsync(workspaceId));
    }

    [Fact]
    public async Task ADisabledClient_IsMarkedDisabled_UntilEnabledAgain()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId);

        using (var disable = await owner.SubmitAsync(created.DetailsUrl, formSelector: "form[action*='handler=Disable']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, disable.StatusCode);
        }

        Assert.True(await IsDisabledAsync(created.ClientId));
        using (var enable = await owner.SubmitAsync(created.DetailsUrl, formSelector: "form[action*='handler=Enable']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, enable.StatusCode);
        }

        Assert.False(await IsDisabledAsync(created.ClientId));
        var actions = await AuditActionsAsync(workspaceId);
        Assert.Contains("client.disabled", actions);
        Assert.Contains("client.enabled", actions);
    }

    [Fact]
    public async Task RotatingWithAGracePeriod_KeepsBothSecretsValid_UntilTheOldOneExpires()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId);

        var rotated = await owner.RotateSecretAsync(created, "24h");

        Assert.NotEqual(created.Secret, rotated);
        Assert.True(await SecretWorksAsync(created.ClientId, created.Secret!));
        Assert.True(await SecretWorksAsync(created.ClientId, rotated));
        var page = await owner.GetPageAsync(created.DetailsUrl);
        Assert.Equal(2, page.QuerySelectorAll("tbody tr").Count(r => r.TextContent.Contains("active", StringComparison.Ordinal)));
        var expiry = await factory.WithDbAsync(db => db.ClientSecrets.Where(s => s.Hash == SecureTokens.Hash(created.Secret!)).Select(s => s.ExpiresAt).SingleAsync());
        Assert.InRange(expiry!.Value, DateTimeOffset.UtcNow.AddHours(23.9), DateTimeOffset.UtcNow.AddHours(24.1));

        // When the grace period ends, the old secret stops working.
        await factory.WithDbAsync(db => db.ClientSecrets.Where(s => s.Hash == SecureTokens.Hash(created.Secret!))
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1))));
        Assert.False(await SecretWorksAsync(created.ClientId, created.Secret!));
        Assert.True(await SecretWorksAsync(created.ClientId, rotated));
        Assert.Contains("client.secret_rotated", await AuditActionsAsync(workspaceId));
    }

    [Fact]
    public async Task RotatingWithoutGrace_StopsTheOldSecretAtOnce()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId);

        var rotated = await owner.RotateSecretAsync(created, "none");

        Assert.False(await SecretWorksAsync(created.ClientId, created.Secret!));
        Assert.True(await SecretWorksAsync(created.ClientId, rotated));
    }

    [Fact]
    public async Task RevokingAnOldSecret_StopsItAtOnce_ButTheOnlyActiveSecretCannotBeRevoked()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId);
        var oldId = await factory.WithDbAsync(db => db.ClientSecrets.Where(s => s.Hash == SecureTokens.Hash(created.Secret!)).Select(s => s.Id).SingleAsync());

        using (var refused = await owner.PostDirectAsync(created.DetailsUrl + "?handler=RevokeSecret", [new("secretId", oldId.ToString())]))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains("only active secret", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var rotated = await owner.RotateSecretAsync(created, "7d");
        using (var revoked = await owner.SubmitAsync(created.DetailsUrl, new Dictionary<string, string> { ["secretId"] = oldId.ToString() }, "form[action*='handler=RevokeSecret']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoked.StatusCode);
        }

        Assert.False(await SecretWorksAsync(created.ClientId, created.Secret!));
        Assert.True(await SecretWorksAsync(created.ClientId, rotated));
        Assert.Contains("client.secret_revoked", await AuditActionsAsync(workspaceId));
    }

    [Fact]
    public async Task Deleting_NeedsTheTypedName_ThenRemovesTheClientAndItsSecrets()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync();
        var created = await owner.CreateClientAsync(workspaceId, "Doomed App");

        using (var wrong = await owner.SubmitAsync(created.DetailsUrl, new Dictionary<string, string> { ["DeleteConfirmation"] = "doomed app" }, "form[action*='handler=Delete']"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        Assert.True(await factory.WithDbAsync(db => db.OAuthClients.AnyAsync(c => c.ClientId == created.ClientId)));
        using (var right = await owner.SubmitAsync(created.DetailsUrl, new Dictionary<string, string> { ["DeleteConfirmation"] = "Doomed App" }, "form[action*='handler=Delete']"))
        {
            Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        }

        Assert.False(await factory.WithDbAsync(db => db.OAuthClients.AnyAsync(c => c.ClientId == created.ClientId)));
        Assert.False(await factory.WithDbAsync(db => db.ClientSecrets.AnyAsync(s => s.Hash == SecureTokens.Hash(created.Secret!))));
        Assert.False(await SecretWorksAsync(created.ClientId, created.Secret!));
        Assert.Contains("client.deleted", await AuditActionsAsync(workspaceId));
    }

    [Fact]
    public async Task DeletingTheWorkspace_DeletesItsClients()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Short Lived");
        var created = await owner.CreateClientAsync(workspaceId);

        using var response = await owner.SubmitAsync($"/workspaces/{workspaceId}/settings", new Dictionary<string, string> { ["DeleteConfirmation"] = "Short Lived" }, "form[action*='handler=Delete']");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.OAuthClients.AnyAsync(c => c.ClientId == created.ClientId)));
    }

    private async Task<bool> SecretWorksAsync(string clientId, string secret)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var manager = scope.ServiceProvider.GetRequiredService<IOpenIddictApplicationManager>();
        var application = await manager.FindByClientIdAsync(clientId);
        return application is not null && await manager.ValidateClientSecretAsync(application, secret);
    }

    private Task<bool> IsDisabledAsync(string clientId) =>
        factory.WithDbAsync(db => db.OAuthClients.Where(c => c.ClientId == clientId).Select(c => c.IsDisabled).SingleAsync());

    private Task<List<string>> AuditActionsAsync(Guid workspaceId) =>
        factory.WithDbAsync(db => db.AuditEvents.Where(e => e.WorkspaceId == workspaceId).Select(e => e.Action).ToListAsync());
}
