using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>
/// What the state of an account means for its apps at the token endpoint: a lockout (wrong passwords)
/// stops interactive logins only, so nobody who knows an address can cut its apps off; a disabled or
/// deleted account ends their access.
/// </summary>
public sealed class AccountStateTests(ClientAddressFactory factory) : IClassFixture<ClientAddressFactory>
{
    [Fact]
    public async Task AnAccountLockedOutByWrongPasswords_CannotLogIn_ButItsAppsKeepRefreshing()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user);

        // Someone who only knows the address locks the account (5 failures), from several addresses.
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var stranger = factory.NewClientFrom($"203.0.113.{100 + attempt}");
            using var wrong = await stranger.SubmitLoginAsync(user.Email, $"guess {attempt} of a passphrase");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
        }

        Assert.NotNull((await factory.UserAsync(user.Email)).LockoutEnd);
        using var owner = factory.NewClientFrom("198.51.100.200");
        using var login = await owner.LoginAsync(user);
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);

        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.True(refreshed.Status == HttpStatusCode.OK, $"The lockout cut the app off: {refreshed.Json}");
    }

    [Fact]
    public async Task ADisabledAccount_CannotLogIn_AndItsAppsAreRefused()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user);

        await factory.WithDbAsync(db => db.Users.Where(u => u.Email == user.Email)
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.DisabledAt, DateTimeOffset.UtcNow)));
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        using var browser = factory.NewClient();
        using var login = await browser.LoginAsync(user);

        Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
        Assert.Equal("invalid_grant", refreshed.Error);
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        Assert.Equal(Kryptos.Connect.Accounts.Pages.LoginModel.FailureMessage, (await PortalClient.ReadPageAsync(login)).FormErrors());
    }

    [Fact]
    public async Task ADeletedAccount_IsRefusedAtTheTokenEndpoint()
    {
        var client = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        using var server = factory.Backchannel();
        var tokens = await factory.TokensAsync(server, client, user);
        using var session = await factory.LoginAsync(user);

        using (var deleted = await session.SubmitAsync("/account/delete", new Dictionary<string, string> { ["Password"] = user.Password }))
        {
            Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        }

        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, tokens.RefreshToken!);
        Assert.Equal(HttpStatusCode.BadRequest, refreshed.Status);
        Assert.Equal("invalid_grant", refreshed.Error);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, tokens.AccessToken!)).Active);
    }
}
