using System.Net;
using System.Text.RegularExpressions;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// With <c>Hosting:PublicOrigin</c> set (required outside Development), links in mails and the OpenID
/// Connect issuer come from it. A request with a forged Host header (a permissive proxy, a direct hit on
/// the instance) cannot plant an attacker's origin in a reset link or in the issuer.
/// </summary>
public sealed partial class PublicOriginTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const string PublicOrigin = "https://localhost";

    [Fact]
    public async Task ResetAndConfirmationLinks_UseThePublicOrigin_NotAForgedHostHeader()
    {
        using var forged = ForgedHostClient();
        var email = Intents.NewEmail("forged-host");

        using (var signUp = await forged.SubmitSignUpAsync("Mallory's Target", email, Intents.DefaultPassword))
        {
            forged.AssertStatus(HttpStatusCode.Redirect, signUp);
        }

        using (var reset = await forged.ForgotPasswordAsync(email))
        {
            forged.AssertStatus(HttpStatusCode.Redirect, reset);
        }

        var links = factory.Mailbox.To(email).SelectMany(m => Link().Matches(m.TextBody ?? "").Select(l => l.Value)).ToList();
        Assert.Contains(links, l => l.StartsWith(PublicOrigin + "/account/confirm-email?", StringComparison.Ordinal));
        Assert.Contains(links, l => l.StartsWith(PublicOrigin + "/account/reset-password?", StringComparison.Ordinal));
        Assert.All(links, l => Assert.StartsWith(PublicOrigin + "/", l, StringComparison.Ordinal));
    }

    [Fact]
    public async Task OidcEndpoints_DoNotAnswerAForgedHost_SoTheIssuerCannotBeForged()
    {
        using var forged = ForgedHostClient();

        using var response = await forged.Http.GetAsync("/oidc/.well-known/openid-configuration");

        // OpenIddict matches its endpoints against the public origin, host included: under another
        // host there is no discovery document at all, so none with the attacker's issuer.
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.DoesNotContain("attacker.example", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheOAuthGuide_ShowsTheIssuerUnderThePublicOrigin_WhateverTheHostHeader()
    {
        using var forged = ForgedHostClient();

        var page = await forged.GetPageAsync("/docs/oauth");

        Assert.Contains(PublicOrigin + "/oidc", page.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("attacker.example", page.Body.TextContent, StringComparison.Ordinal);
    }

    /// <summary>A browser whose requests carry <c>Host: attacker.example</c>.</summary>
    private PortalClient ForgedHostClient() => new(factory.CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://attacker.example"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    }), () => factory.LoggedErrors);

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();
}
