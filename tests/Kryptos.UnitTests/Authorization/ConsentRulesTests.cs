using System.Collections.Immutable;
using System.Security.Claims;
using Kryptos.Connect.Authorization;
using Kryptos.Connect.Core.Workspaces;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.UnitTests.Authorization;

public sealed class ConsentRulesTests
{
    private static readonly string[] Requested = ["openid", "profile", "portfolios:read", "transactions:write"];

    [Theory]
    [InlineData(WorkspaceRole.Owner, true)]
    [InlineData(WorkspaceRole.Admin, true)]
    [InlineData(WorkspaceRole.Editor, true)]
    [InlineData(WorkspaceRole.Viewer, false)]
    public void AGrant_NeverExceedsTheUsersRole(WorkspaceRole role, bool mayWrite)
    {
        var granted = ConsentService.AllowedScopes(role, Requested);

        Assert.Contains("portfolios:read", granted);
        Assert.Contains("openid", granted);
        Assert.Equal(mayWrite, granted.Contains("transactions:write"));
    }

    [Fact]
    public void TheAccessToken_CarriesOnlySubjectAndWorkspace()
    {
        ImmutableArray<string> scopes = ["openid", "profile", "email", "portfolios:read"];

        Assert.Equal([Destinations.AccessToken, Destinations.IdentityToken], ConsentService.DestinationsOf(new Claim(Claims.Subject, "u"), scopes));
        Assert.Equal([Destinations.AccessToken], ConsentService.DestinationsOf(new Claim(KryptosClaims.WorkspaceId, "w"), scopes));
        Assert.Equal([Destinations.IdentityToken], ConsentService.DestinationsOf(new Claim(Claims.Email, "e"), scopes));
        Assert.Equal([Destinations.IdentityToken], ConsentService.DestinationsOf(new Claim(Claims.Name, "n"), scopes));
    }

    [Fact]
    public void ProfileAndEmailClaims_StayOutOfTokens_WithoutTheirScopes()
    {
        ImmutableArray<string> scopes = ["openid", "portfolios:read"];

        Assert.Empty(ConsentService.DestinationsOf(new Claim(Claims.Email, "e"), scopes));
        Assert.Empty(ConsentService.DestinationsOf(new Claim(Claims.EmailVerified, "true"), scopes));
        Assert.Empty(ConsentService.DestinationsOf(new Claim(Claims.Name, "n"), scopes));
        Assert.Empty(ConsentService.DestinationsOf(new Claim(Claims.Locale, "en"), scopes));
    }
}
