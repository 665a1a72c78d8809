using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using OpenIddict.Abstractions;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// Refresh tokens: only with offline_access, rotated on every use, a replay revokes the whole grant
/// (RFC 9700 §4.14), and a refresh never widens the scope.
/// </summary>
public sealed class RefreshTokenTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task WithoutOfflineAccess_NoRefreshTokenIsIssued()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();

        var tokens = await factory.TokensForNewUserAsync(server, client, "openid profile portfolios:read");

        Assert.NotNull(tokens.AccessToken);
        Assert.Null(tokens.RefreshToken);
    }

    [Fact]
    public async Task AClientRegisteredWithoutOfflineAccess_CannotAskForIt_AndGetsNoRefreshToken()
    {
        var client = await factory.PublishClientAsync(new ClientSpec(Scopes: ["openid", "profile", "portfolios:read"]));
        var user = await factory.NewUserAsync();
        using var browser = await factory.LoginAsync(user);
        using var server = factory.Backchannel();

        using (var asked = await browser.Http.GetAsync(OidcIntents.AuthorizeUrl(client.ClientId, Pkce.Create(), "openid offline_access")))
        {
            // offline_access is a scope the client did not register (RFC 6749 §4.1.2.1).
            OidcSetup.AssertErrorRedirect(asked, "invalid_scope");
        }

        var tokens = await factory.TokensAsync(server, client, user, "openid profile");
        Assert.NotNull(tokens.AccessToken);
        Assert.Null(tokens.RefreshToken);
    }

    [Fact]
    public async Task AClientWhoseOfflineAccessWasRemoved_CannotUseTheRefreshGrantAnyMore()
    {
        var (client, developer) = await factory.PublishClientWithDeveloperAsync();
        using (developer)
        {
            using var server = factory.Backchannel();
            var tokens = await factory.TokensForNewUserAsync(server, client);

            await developer.EditClientScopesAsync(client, ["openid", "profile", "email", "portfolios:read"]);

            var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
            Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
            Assert.Equal("unauthorized_client", refreshed.Error);
            Assert.Null(refreshed.AccessToken);
        }
    }

    [Fact]
    public async Task EveryRefresh_RotatesTheRefreshToken_AndTheOldOneIsRefused()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, refreshed.Status);
        Assert.NotNull(refreshed.AccessToken);
        Assert.NotNull(refreshed.RefreshToken);
        Assert.NotEqual(tokens.RefreshToken, refreshed.RefreshToken);
        Assert.Equal("no-store", refreshed.Response.Headers.CacheControl?.ToString());
        // The chain's bookkeeping stays inside the refresh token.
        Assert.Null(OidcSetup.Claim(refreshed.AccessToken, "kryptos_refresh_chain_start"));
        // No ID token without scope=openid in the refresh request (ARefresh_ReturnsAnIdToken_OnlyWhenTheRequestAsksForOpenId).
        Assert.Null(refreshed.IdToken);
        var old = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, old.Status);
        Assert.Equal("invalid_grant", old.Error);
    }

    [Fact]
    public async Task ARefresh_ReturnsAnIdToken_OnlyWhenTheRequestAsksForOpenId()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        Assert.NotNull(tokens.IdToken);

        // No scope parameter: the same scopes as before (RFC 6749 §6), and no ID token (OIDC Core §12.2).
        var plain = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.NotNull(plain.AccessToken);
        Assert.Null(plain.IdToken);

        // Asking for openid (the grant holds it) brings one back, for the same user.
        var asked = await server.TokenAsync(client.ClientId, client.Secret, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = plain.RefreshToken!,
            ["scope"] = "openid offline_access portfolios:read",
        });
        Assert.Equal(HttpStatusCode.OK, asked.Status);
        Assert.NotNull(asked.IdToken);
        Assert.Equal(OidcSetup.Claim(tokens.IdToken, "sub"), OidcSetup.Claim(asked.IdToken, "sub"));
        Assert.Null(OidcSetup.Claim(asked.IdToken, "kryptos_refresh_chain_start"));

        // The rotated refresh token keeps working.
        var next = await server.RefreshAsync(client.ClientId, client.Secret, asked.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, next.Status);
    }

    [Fact]
    public async Task ConcurrentRefreshesWithOneToken_IssueOneNewTokenAtMost_AndTheLosersRevokeTheGrant()
    {
        // Racing requests redeem the presented token once (the concurrency token on its row); the others
        // are replays: invalid_grant, and the grant ends, including the tokens the winner was given
        // (RFC 9700 §4.14.2: the server cannot tell which of the two racers is the attacker).
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!)));

        var summary = string.Join(", ", answers.Select(a => $"{(int)a.Status} {a.Error}"));
        var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => !ReferenceEquals(a, winner)), a => Assert.True(a.Status == HttpStatusCode.BadRequest && a.Error == "invalid_grant", summary));
        Assert.Equal("invalid_grant", (await server.RefreshAsync(client.ClientId, client.Secret, winner.RefreshToken!)).Error);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, winner.AccessToken!)).Active);
    }

    [Fact]
    public async Task AReplayedRefreshToken_RevokesTheWholeGrant()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);
        var second = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, second.Status);

        // An attacker replays the first refresh token, already used by the legitimate client.
        var replay = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);

        Assert.Equal("invalid_grant", replay.Error);
        var newest = await server.RefreshAsync(client.ClientId, client.Secret, second.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, newest.Status);
        Assert.Equal("invalid_grant", newest.Error);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, second.AccessToken!)).Active);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
        // The grant itself, not only its tokens (RevokeGrantOnReplay): tokens written after the replay die with it.
        Assert.Equal(OpenIddictConstants.Statuses.Revoked, (await factory.GrantOfAsync(tokens.AccessToken!)).Status);
    }

    [Fact]
    public async Task ARefreshAskingForAScopeTheGrantDoesNotHold_IsInvalidScope_AndTheRefreshTokenStaysValid()
    {
        // The client registered transactions:read, but the user granted less.
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client, "openid offline_access portfolios:read");

        var widened = await server.TokenAsync(client.ClientId, client.Secret, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.RefreshToken!,
            ["scope"] = "openid offline_access portfolios:read transactions:read",
        });

        // RFC 6749 §6 and §5.2: a scope beyond the grant is invalid_scope, not invalid_grant.
        Assert.Equal(HttpStatusCode.BadRequest, widened.Status);
        Assert.Equal("invalid_scope", widened.Error);
        Assert.Null(widened.AccessToken);
        // The refused request did not consume the refresh token nor revoke the grant: it refreshes,
        // and without a scope parameter it gets what was granted, no more.
        var plain = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.OK, plain.Status);
        Assert.Equal(["offline_access", "openid", "portfolios:read"], (OidcSetup.Claim(plain.AccessToken, "scope") ?? "").Split(' ').Order(StringComparer.Ordinal));
        Assert.True((await server.IntrospectAsync(client.ClientId, client.Secret, plain.AccessToken!)).Active);
    }

    [Fact]
    public async Task ARefreshMayNarrowTheScope()
    {
        var client = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client, "openid offline_access portfolios:read");

        var narrowed = await server.TokenAsync(client.ClientId, client.Secret, new Dictionary<string, string>
        {
            ["grant_type"] = "refresh_token",
            ["refresh_token"] = tokens.RefreshToken!,
            ["scope"] = "openid portfolios:read",
        });

        Assert.Equal(HttpStatusCode.OK, narrowed.Status);
        Assert.Equal(["openid", "portfolios:read"], (OidcSetup.Claim(narrowed.AccessToken, "scope") ?? "").Split(' ').Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ARefreshTokenOfAnotherClient_IsRefused()
    {
        var client = await factory.PublishClientAsync();
        var other = await factory.PublishClientAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensForNewUserAsync(server, client);

        var stolen = await server.RefreshAsync(other.ClientId, other.Secret, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.BadRequest, stolen.Status);
        Assert.Equal("invalid_grant", stolen.Error);
        // The refusal did not cost the owner its token.
        Assert.Equal(HttpStatusCode.OK, (await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!)).Status);
    }
}
