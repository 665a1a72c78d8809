using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.Connect.Authorization.Keys;
using Kryptos.Connect.Hosting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using OpenIddict.Validation;

namespace Kryptos.Connect.Authorization.ApiAccess;

public static class ApiAccessExtensions
{
    /// <summary>
    /// The validation side of the authorization server, for the Connect API: OpenIddict validation on
    /// the local server's keys, the validated-token cache, the revocation view and its refresher, and
    /// the <see cref="ApiAccessDefaults.AuthenticationScheme"/> authentication scheme.
    /// </summary>
    public static IServiceCollection AddApiAccess(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ApiAccessOptions>().BindConfiguration(ApiAccessOptions.SectionName)
            .ValidateDataAnnotationsRecursively(ApiAccessOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<RevocationView>();
        services.AddHostedService<RevocationViewRefresher>();
        services.AddSingleton<ValidatedTokenCache>();
        services.AddScoped<AccessTokenValidator>();
        services.AddSingleton<ApiKeyView>();
        services.AddHostedService<ApiKeyViewRefresher>();
        services.AddScoped<ApiKeyService>();
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>().Configure(ApiKeyLeakReports.AddPolicy);

        services.AddOpenIddict().AddValidation(validation =>
        {
            // The server's own keys and token format; no introspection, no database per request
            // (token and grant entries are checked by the revocation view instead).
            validation.UseLocalServer();
        });
        // Only tokens meant for the Connect API: the audience the server gives tokens with API scopes.
        services.AddOptions<OpenIddictValidationOptions>()
            .Configure<IOptions<AuthorizationServerOptions>>((validation, server) => validation.Audiences.Add(server.Value.ApiAudience));
        // The validation options copy the server's keys when built: rebuild them when the key ring changes.
        services.AddSingleton<IOptionsChangeTokenSource<OpenIddictValidationOptions>, ValidationKeysFollowTheKeyRing>();

        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, ApiBearerHandler>(ApiAccessDefaults.AuthenticationScheme, null);
        return services;
    }

    private sealed class ValidationKeysFollowTheKeyRing(ServerKeyRing ring) : IOptionsChangeTokenSource<OpenIddictValidationOptions>
    {
        public string? Name => Options.DefaultName;

        public IChangeToken GetChangeToken() => ring.GetValidationChangeToken();
    }
}
