using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Core;
using Kryptos.Connect.Hosting;
using Microsoft.Extensions.Options;
using Kryptos.Connect.ConnectApi.OpenApi;
using Scalar.AspNetCore;

namespace Kryptos.Connect.ConnectApi.Reference;

/// <summary>
/// The interactive API reference (Scalar) at <see cref="ApiReferenceClient.Path"/>: it renders
/// /openapi/v1.json and can authorize with the authorization code flow + PKCE (S256) against our
/// /oidc endpoints, then send real /v1 calls. The client id defaults to the Development demo client;
/// a developer can type their own public client's id in the page.
/// </summary>
/// <remarks>
/// Everything is served by this host: Scalar's script comes from the package, its CDN fonts and
/// telemetry are off and the AI agent and MCP features too, so the page needs no network beyond us.
/// The strict site-wide CSP is relaxed for this page only: its scripts carry a per-request nonce, and
/// Scalar's components set inline styles.
/// </remarks>
internal static class ApiReference
{
    public static void Map(WebApplication app)
    {
        app.UseWhen(context => context.Request.Path.StartsWithSegments(ApiReferenceClient.Path, StringComparison.OrdinalIgnoreCase), page => page.Use((context, next) =>
        {
            // Registered after the security headers' own callback, so it runs before it (LIFO) and the
            // policy is in place when that one writes the header.
            context.Response.OnStarting(() =>
            {
                var nonce = context.Items[ScalarOptions.NonceHttpContextItemKey] as string;
                context.Items[SecurityHeaders.PolicyOverrideItem] = PolicyFor(nonce);
                return Task.CompletedTask;
            });
            return next(context);
        }));

        app.MapScalarApiReference(ApiReferenceClient.Path, (options, context) =>
        {
            var hosting = context.RequestServices.GetRequiredService<IOptions<HostingOptions>>().Value;
            var origin = string.IsNullOrEmpty(hosting.PublicOrigin)
                ? $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}"
                : hosting.PublicOrigin.TrimEnd('/');
            options.WithTitle("Kryptos Connect API reference")
                .WithOpenApiRoutePattern(ApiDocument.Path)
                .DisableDefaultFonts()
                .DisableTelemetry()
                .DisableAgent()
                .DisableMcp()
                .WithNonce()
                .AddPreferredSecuritySchemes([ApiDocument.SecurityScheme])
                .AddAuthorizationCodeFlow(ApiDocument.SecurityScheme, flow =>
                {
                    flow.ClientId = ApiReferenceClient.ClientId;
                    flow.Pkce = Pkce.Sha256;
                    flow.AuthorizationUrl = origin + "/oidc/auth";
                    flow.TokenUrl = origin + "/oidc/token";
                    flow.RedirectUri = origin + ApiReferenceClient.PagePath;
                    flow.SelectedScopes = [.. KryptosScopes.Defaults];
                });
        }).ExcludeFromDescription();
    }

    /// <summary>The site's policy with the page's script nonce and inline styles; still no third-party source.</summary>
    internal static string PolicyFor(string? nonce) =>
        "default-src 'self'; " +
        (nonce is null ? "script-src 'self'; " : $"script-src 'self' 'nonce-{nonce}'; ") +
        "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; " +
        "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
}
