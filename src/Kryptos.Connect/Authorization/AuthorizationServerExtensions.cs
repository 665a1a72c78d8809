using Kryptos.Connect.Data;

namespace Kryptos.Connect.Authorization;

public static class AuthorizationServerExtensions
{
    /// <summary>
    /// OpenIddict's core: applications (OAuth clients), authorizations (grants), scopes and tokens
    /// stored in <see cref="KryptosDbContext"/> with our entity types.
    /// </summary>
    public static WebApplicationBuilder AddAuthorizationServer(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOpenIddict()
            .AddCore(core =>
            {
                core.UseEntityFrameworkCore()
                    .UseDbContext<KryptosDbContext>()
                    .ReplaceDefaultEntities<OAuthClient, OAuthGrant, OAuthScope, OAuthToken, string>();
                core.ReplaceApplicationManager<OAuthClient, KryptosApplicationManager>();
            });
        return builder;
    }
}
