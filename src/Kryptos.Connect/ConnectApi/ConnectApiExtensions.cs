using Kryptos.Connect.Authorization.ApiAccess;
using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.ConnectApi.Integrations;
using Kryptos.Connect.ConnectApi.Keys;
using Kryptos.Connect.ConnectApi.Ledgers;
using Kryptos.Connect.ConnectApi.OpenApi;
using Kryptos.Connect.ConnectApi.Portfolios;
using Kryptos.Connect.ConnectApi.Providers;
using Kryptos.Connect.ConnectApi.Reference;
using Kryptos.Connect.ConnectApi.Reports;
using Kryptos.Connect.ConnectApi.Tax;
using Kryptos.Connect.ConnectApi.Transactions;
using Kryptos.Connect.ConnectApi.Users;
using Kryptos.Connect.ConnectApi.Workspaces;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Authorization;

namespace Kryptos.Connect.ConnectApi;

public static class ConnectApiExtensions
{
    public const string BasePath = "/v1";

    /// <summary>
    /// The Connect API: bearer access tokens (validated once, then cached, revocation honoured; see
    /// <see cref="ApiAccessExtensions.AddApiAccess"/>), one policy per scope, problem details for
    /// every error, decimals as strings and times in UTC.
    /// </summary>
    public static WebApplicationBuilder AddConnectApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddApiAccess();
        services.AddAuthorization(ScopePolicies.Add);
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, InsufficientScopeResultHandler>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.Converters.Add(new DecimalStringConverter());
            json.SerializerOptions.Converters.Add(new UtcDateTimeOffsetConverter());
        });
        services.AddOpenApi(ApiDocument.Name, ApiDocument.Configure);
        // Development's demo data: a public client for the interactive reference (after the demo account).
        services.AddScoped<IDataSeeder, ApiReferenceClient>();
        return builder;
    }

    /// <summary>Maps <c>/v1</c>: each resource group requires its scope policy.</summary>
    public static WebApplication MapConnectApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseWhen(IsApiRequest, api => api.UseMiddleware<ApiErrorsMiddleware>());
        var v1 = app.MapGroup(BasePath);
        v1.AddEndpointFilter<ApiRateLimitFilter>();
        v1.MapUsers();
        v1.MapWorkspace();
        v1.MapPortfolios();
        v1.MapTransactions();
        v1.MapIntegrations();
        v1.MapTax();
        v1.MapLedgers();
        v1.MapReports();
        v1.MapProviders();
        v1.MapKeyLeakReports();
        // The generated document (committed at docs/openapi/v1.json); public, like the reference page.
        app.MapOpenApi(ApiDocument.Path);
        ApiReference.Map(app);
        return app;
    }

    /// <summary>Requires the policy of <paramref name="scope"/> (see <see cref="ScopePolicies"/>).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(ScopePolicies.For(scope));

    /// <summary>Pages a list: binds <see cref="PageRequest"/> and refuses bad values with a 400 problem.</summary>
    public static RouteHandlerBuilder WithPaging(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<PagingFilter>().WithMetadata(new PagedEndpoint());

    /// <summary>Documents <paramref name="example"/> as the 200 answer's example in the OpenAPI document.</summary>
    public static RouteHandlerBuilder WithExample(this RouteHandlerBuilder builder, object example) =>
        builder.WithMetadata(new ResponseExample(example));

    internal static bool IsApiRequest(HttpContext context) => context.Request.Path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase);
}
