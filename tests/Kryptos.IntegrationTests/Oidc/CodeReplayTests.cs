using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>An authorization code works once; a replay fails and revokes every token issued from it (RFC 6749 §4.1.2).</summary>
public sealed class CodeReplayTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task ASecondRedemption_IsInvalidGrant_AndRevokesTheTokensOfTheFirst()
    {
        var client = await factory.PublishClientAsync();
        var (code, pkce) = await factory.CodeForNewUserAsync(client);
        using var server = factory.Backchannel();
        var first = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, pkce.Verifier);
        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.True((await server.IntrospectAsync(client.ClientId, client.Secret, first.AccessToken!)).Active);

        var second = await server.RedeemCodeAsync(client.ClientId, client.Secret, code, pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, second.Status);
        Assert.Equal("invalid_grant", second.Error);
        Assert.Null(second.AccessToken);
        var refreshed = await server.RefreshAsync(client.ClientId, client.Secret, first.RefreshToken!);
        Assert.Equal("invalid_grant", refreshed.Error);
        var introspection = await server.IntrospectAsync(client.ClientId, client.Secret, first.AccessToken!);
        Assert.Equal(HttpStatusCode.OK, introspection.Status);
        Assert.False(introspection.Active);
    }

    [Fact]
    public async Task ConcurrentRedemptionsOfOneCode_IssueTokensOnce_AndTheLosersRevokeThem()
    {
        var client = await factory.PublishClientAsync();
        var (code, pkce) = await factory.CodeForNewUserAsync(client);
        using var server = factory.Backchannel();

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => server.RedeemCodeAsync(client.ClientId, client.Secret, code, pkce.Verifier)));

        var summary = string.Join(", ", answers.Select(a => $"{(int)a.Status} {a.Error}"));
        var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
        Assert.All(answers.Where(a => !ReferenceEquals(a, winner)), a => Assert.True(a.Status == HttpStatusCode.BadRequest && a.Error == "invalid_grant", summary));
        Assert.Equal("invalid_grant", (await server.RefreshAsync(client.ClientId, client.Secret, winner.RefreshToken!)).Error);
        Assert.False((await server.IntrospectAsync(client.ClientId, client.Secret, winner.AccessToken!)).Active);
    }

    [Fact]
    public async Task ACodeIsBoundToItsClient()
    {
        var client = await factory.PublishClientAsync();
        var other = await factory.PublishClientAsync();
        var user = await factory.NewUserAsync();
        var pkce = Pkce.Create();
        var (redirect, browser) = await factory.RunFlowAsync(OidcIntents.AuthorizeUrl(client.ClientId, pkce), user);
        browser.Dispose();
        using var server = factory.Backchannel();

        var stolen = await server.RedeemCodeAsync(other.ClientId, other.Secret, OidcIntents.CodeFrom(redirect), pkce.Verifier);

        Assert.Equal(HttpStatusCode.BadRequest, stolen.Status);
        Assert.Equal("invalid_grant", stolen.Error);
    }
}
