using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kryptos.IntegrationTests.Oidc;

/// <summary>A host with <c>Hosting:PublicOrigin</c> set, written with a trailing slash as people do.</summary>
public sealed class PublicOriginFactory : KryptosFactory
{
    public const string Origin = "https://id.example.com";

    public PublicOriginFactory()
    {
        Settings["Hosting:PublicOrigin"] = Origin + "/";
    }
}

/// <summary>With <c>Hosting:PublicOrigin</c> set, the issuer is that origin plus <c>/oidc</c>, exactly, and the endpoints sit under it.</summary>
public sealed class PublicOriginIssuerTests(PublicOriginFactory factory) : IClassFixture<PublicOriginFactory>
{
    [Fact]
    public async Task TheIssuer_IsThePublicOriginUnderOidc_WithoutATrailingSlash()
    {
        using var server = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri(PublicOriginFactory.Origin), AllowAutoRedirect = false });

        using var response = await server.GetAsync(new Uri("/oidc/.well-known/openid-configuration", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var metadata = await OidcSetup.JsonOfAsync(response);
        Assert.Equal(PublicOriginFactory.Origin + "/oidc", metadata.GetProperty("issuer").GetString(), StringComparer.Ordinal);
        Assert.Equal(PublicOriginFactory.Origin + "/oidc/auth", metadata.GetProperty("authorization_endpoint").GetString());
        Assert.Equal(PublicOriginFactory.Origin + "/oidc/jwks", metadata.GetProperty("jwks_uri").GetString());
    }
}
