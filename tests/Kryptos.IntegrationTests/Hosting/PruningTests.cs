using System.Net;
using Kryptos.Connect.Authorization;
using Kryptos.Connect.Hosting.Pruning;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Clients;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// Pruning removes what can never be used again — expired and revoked OAuth tokens and grants past
/// their retention, expired sessions, dead invitations past theirs — and nothing else; each pruner
/// logs what it removed. Rows are made through the real flows, then dated back in the database.
/// </summary>
public sealed class PruningTests
{
    private static readonly TimeSpan LongAgo = TimeSpan.FromDays(31); // past every default retention

    [Fact]
    public async Task OnePass_RemovesExactlyTheStaleRows_AndLogsACountPerPruner()
    {
        await using var factory = new KryptosFactory();
        var now = DateTimeOffset.UtcNow;

        // OAuth: four users grant the same client; their grants and tokens are then dated and revoked.
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var recent = await ConnectAsync(factory, server, client);
        var old = await ConnectAsync(factory, server, client);
        var oldRevoked = await ConnectAsync(factory, server, client);
        var recentRevoked = await ConnectAsync(factory, server, client);
        await RevokeOnConnectedAppsAsync(factory, oldRevoked.User);
        await RevokeOnConnectedAppsAsync(factory, recentRevoked.User);
        await DateBackAsync(factory, old.GrantId, LongAgo);
        await DateBackAsync(factory, oldRevoked.GrantId, LongAgo);
        var oldTokens = await TokensOfAsync(factory, old.GrantId);
        var oldRevokedTokens = await TokensOfAsync(factory, oldRevoked.GrantId);
        // An old, still valid grant keeps its live refresh token; its redeemed code and its long
        // expired access (and identity) tokens go.
        var oldLiveTokens = oldTokens.Where(t => t.Type == TokenTypeIdentifiers.RefreshToken).Select(t => t.Id).ToList();
        Assert.True(oldLiveTokens.Count == 1, "Tokens of the grant: " + string.Join(", ", oldTokens.Select(t => $"{t.Type} ({t.Status})")));

        // Sessions: one expired a minute ago, the others live.
        var (expiredSessionUser, browser) = await factory.SignedInUserAsync();
        browser.Dispose();
        var expiredSessionUserId = await factory.UserIdAsync(expiredSessionUser);
        await factory.WithDbAsync(db => db.UserSessions.Where(s => s.UserId == expiredSessionUserId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, now.AddMinutes(-1))));

        // Invitations: pending, expired lately (kept a while), and three long dead ones.
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Pruned Team");
        var pending = await InviteAsync(factory, owner, workspaceId);
        var expiredLately = await InviteAsync(factory, owner, workspaceId);
        var expiredLongAgo = await InviteAsync(factory, owner, workspaceId);
        var revokedLongAgo = await InviteAsync(factory, owner, workspaceId);
        var acceptedLongAgo = await InviteAsync(factory, owner, workspaceId);
        owner.Dispose();
        await factory.WithDbAsync(async db =>
        {
            await db.WorkspaceInvitations.Where(i => i.Id == expiredLately).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, now.AddDays(-1)));
            await db.WorkspaceInvitations.Where(i => i.Id == expiredLongAgo).ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, now - LongAgo));
            await db.WorkspaceInvitations.Where(i => i.Id == revokedLongAgo).ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, now - LongAgo));
            return await db.WorkspaceInvitations.Where(i => i.Id == acceptedLongAgo).ExecuteUpdateAsync(s => s.SetProperty(i => i.AcceptedAt, now - LongAgo));
        });

        var liveSessions = await factory.WithDbAsync(db => db.UserSessions.Where(s => s.UserId != expiredSessionUserId).Select(s => s.Id).ToListAsync());

        await factory.Services.GetRequiredService<PruningPass>().RunAsync();

        var grantsLeft = await factory.WithDbAsync(db => db.OAuthGrants
            .Where(g => g.Id == recent.GrantId || g.Id == old.GrantId || g.Id == oldRevoked.GrantId || g.Id == recentRevoked.GrantId)
            .Select(g => g.Id).ToListAsync());
        Assert.Equal(new[] { recent.GrantId, old.GrantId, recentRevoked.GrantId }.Order(), grantsLeft.Order());
        Assert.Equal(recent.TokenCount, (await TokensOfAsync(factory, recent.GrantId)).Count);
        Assert.Equal(recentRevoked.TokenCount, (await TokensOfAsync(factory, recentRevoked.GrantId)).Count);
        Assert.Equal(oldLiveTokens, (await TokensOfAsync(factory, old.GrantId)).Select(t => t.Id).ToList());
        Assert.Empty(await TokensOfAsync(factory, oldRevoked.GrantId));

        var sessionsLeft = await factory.WithDbAsync(db => db.UserSessions.Select(s => s.Id).ToListAsync());
        Assert.Equal(liveSessions.Order(), sessionsLeft.Order());

        var invitationsLeft = await factory.WithDbAsync(db => db.WorkspaceInvitations.Where(i => i.WorkspaceId == workspaceId).Select(i => i.Id).ToListAsync());
        Assert.Equal(new[] { pending, expiredLately }.Order(), invitationsLeft.Order());

        var prunedTokens = oldTokens.Count - oldLiveTokens.Count + oldRevokedTokens.Count;
        AssertLogged(factory, "Pruned 1 expired sessions");
        AssertLogged(factory, $"Pruned {prunedTokens} OAuth tokens");
        AssertLogged(factory, "Pruned 1 OAuth grants");
        AssertLogged(factory, "Pruned 3 expired, revoked or accepted invitations");
    }

    [Fact]
    public async Task AGrantRevokedLongAfterItsCreation_IsRemovedOnlyWithItsTokens()
    {
        // Created long ago, used and revoked just now: its tokens are recent, so they stay for the
        // retention period, and the grant with them (tokens point at their grant).
        await using var factory = new KryptosFactory();
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var connected = await ConnectAsync(factory, server, client);
        await RevokeOnConnectedAppsAsync(factory, connected.User);
        await factory.WithDbAsync(db => db.OAuthGrants.Where(g => g.Id == connected.GrantId)
            .ExecuteUpdateAsync(s => s.SetProperty(g => g.CreationDate, DateTime.UtcNow - LongAgo)));

        await factory.Services.GetRequiredService<PruningPass>().RunAsync();

        Assert.DoesNotContain(factory.Logs.Messages, m => m.StartsWith("Error", StringComparison.Ordinal));
        Assert.Equal(connected.TokenCount, (await TokensOfAsync(factory, connected.GrantId)).Count);
        Assert.True(await factory.WithDbAsync(db => db.OAuthGrants.AnyAsync(g => g.Id == connected.GrantId)));
    }

    [Fact]
    public async Task AFailingPruner_IsLogged_AndTheOthersStillRun()
    {
        await using var factory = new FailingPrunerFactory();
        var (user, browser) = await factory.SignedInUserAsync();
        browser.Dispose();
        var userId = await factory.UserIdAsync(user);
        await factory.WithDbAsync(db => db.UserSessions.Where(s => s.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        await factory.Services.GetRequiredService<PruningPass>().RunAsync();

        Assert.Contains(factory.Logs.Messages, m => m.StartsWith("Error", StringComparison.Ordinal)
            && m.Contains("Pruning a broken table failed", StringComparison.Ordinal)
            && m.Contains(FailingPruner.Failure, StringComparison.Ordinal));
        AssertLogged(factory, "Pruned 1 expired sessions");
        AssertLogged(factory, "Pruned 0 OAuth tokens");
        Assert.Equal(0, await factory.SessionCountAsync(userId));
    }

    [Fact]
    public async Task TheScheduledService_RunsAPassEveryInterval()
    {
        await using var factory = new ScheduledFactory();
        var (user, browser) = await factory.SignedInUserAsync();
        browser.Dispose();
        var userId = await factory.UserIdAsync(user);
        await factory.WithDbAsync(db => db.UserSessions.Where(s => s.UserId == userId)
            .ExecuteUpdateAsync(s => s.SetProperty(x => x.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        var until = DateTime.UtcNow.AddSeconds(30);
        while (await factory.SessionCountAsync(userId) > 0 && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        Assert.Equal(0, await factory.SessionCountAsync(userId));
        AssertLogged(factory, "Pruned 1 expired sessions");
    }

    private sealed record Connected(TestUser User, string GrantId, int TokenCount);

    /// <summary>A new user consents to <paramref name="client"/> and the client redeems the code.</summary>
    private static async Task<Connected> ConnectAsync(KryptosFactory factory, HttpClient server, CreatedClient client)
    {
        var user = await factory.NewUserAsync();
        await factory.TokensAsync(server, client, user);
        var subject = (await factory.UserIdAsync(user)).ToString();
        var grantId = await factory.WithDbAsync(db => db.OAuthGrants.Where(g => g.Subject == subject).Select(g => g.Id!).SingleAsync());
        return new Connected(user, grantId, (await TokensOfAsync(factory, grantId)).Count);
    }

    /// <summary>The user revokes the app on their connected-apps page (which revokes its tokens too).</summary>
    private static async Task RevokeOnConnectedAppsAsync(KryptosFactory factory, TestUser user)
    {
        using var browser = await factory.LoginAsync(user);
        using var response = await browser.SubmitAsync("/account/connected-apps", formSelector: "section.card form");
        browser.AssertStatus(HttpStatusCode.Redirect, response);
    }

    /// <summary>Moves a grant and its tokens <paramref name="age"/> into the past, expiry dates with them, as if that much time had passed.</summary>
    private static Task<int> DateBackAsync(KryptosFactory factory, string grantId, TimeSpan age) => factory.WithDbAsync(async db =>
    {
        // Loaded and saved (SQLite cannot do date arithmetic in a bulk update).
        var grant = await db.OAuthGrants.Include(g => g.Tokens).SingleAsync(g => g.Id == grantId);
        grant.CreationDate -= age;
        foreach (var token in grant.Tokens)
        {
            token.CreationDate -= age;
            // A refresh token is sliding: the client would have refreshed it meanwhile, so it stays live.
            if (token.Type != TokenTypeIdentifiers.RefreshToken)
            {
                token.ExpirationDate -= age;
            }
        }

        return await db.SaveChangesAsync();
    });

    private static Task<List<OAuthToken>> TokensOfAsync(KryptosFactory factory, string grantId) =>
        factory.WithDbAsync(db => db.Set<OAuthToken>().AsNoTracking().Where(t => t.Authorization!.Id == grantId).ToListAsync());

    private static async Task<Guid> InviteAsync(KryptosFactory factory, PortalClient owner, Guid workspaceId)
    {
        var email = Intents.NewEmail("invited");
        await factory.InviteAsync(owner, workspaceId, email, WorkspaceRole.Viewer);
        return await factory.WithDbAsync(db => db.WorkspaceInvitations.Where(i => i.Email == email).Select(i => i.Id).SingleAsync());
    }

    private static void AssertLogged(KryptosFactory factory, string message) =>
        Assert.True(factory.Logs.Messages.Any(m => m.StartsWith("Information", StringComparison.Ordinal) && m.Contains(message, StringComparison.Ordinal)),
            $"No information line \"{message}\" was logged. Pruning logged:{Environment.NewLine}"
            + string.Join(Environment.NewLine, factory.Logs.Messages.Where(m => m.Contains("Prun", StringComparison.Ordinal))));

    /// <summary>The pruning service on, with a one-second interval.</summary>
    private sealed class ScheduledFactory : KryptosFactory
    {
        public ScheduledFactory()
        {
            Settings["Pruning:Enabled"] = "true";
            Settings["Pruning:Interval"] = "00:00:01";
        }
    }

    /// <summary>A pruner that always throws, registered first so the others run after it.</summary>
    private sealed class FailingPrunerFactory : KryptosFactory
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => services.Insert(0, ServiceDescriptor.Scoped<IPruner, FailingPruner>()));
        }
    }

    private sealed class FailingPruner : IPruner
    {
        public const string Failure = "The broken table is locked.";

        public string Name => "a broken table";

        public Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) => throw new InvalidOperationException(Failure);
    }
}
