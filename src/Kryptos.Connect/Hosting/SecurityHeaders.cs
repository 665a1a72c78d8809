using System.Security.Cryptography;
using System.Text;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// Headers every response carries: no framing (clickjacking on login and consent), no referrer
/// (tokens and codes in URLs never leak), no third-party resources, no MIME sniffing.
/// </summary>
/// <remarks>
/// No <c>form-action</c>: browsers apply it to the redirects that follow a form post, and the login
/// and consent forms end, by design, in a redirect to the client's registered redirect URI.
/// </remarks>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; " +
        "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

    /// <summary>
    /// The one inline script of OpenIddict's <c>response_mode=form_post</c> page, which auto-submits
    /// the authorization response (code or error) to the client's redirect URI. ASP.NET Core's
    /// OpenID Connect handler asks for form_post by default; without this script the browser stays on
    /// a blank page after Allow or Deny.
    /// </summary>
    internal const string FormPostScript = "document.form.submit();";

    /// <summary>
    /// The authorization endpoint's policy: the same, plus exactly the form_post script, by its hash
    /// (no other inline script runs).
    /// </summary>
    public static readonly string AuthorizationEndpointContentSecurityPolicy = ContentSecurityPolicy.Replace(
        "script-src 'self'",
        $"script-src 'self' 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(FormPostScript)))}'",
        StringComparison.Ordinal);

    /// <summary>
    /// An <c>HttpContext.Items</c> key: a page that cannot live with <see cref="ContentSecurityPolicy"/>
    /// (the interactive API reference) sets its own policy there, for its own responses only.
    /// </summary>
    public const string PolicyOverrideItem = "Kryptos.ContentSecurityPolicy";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(next => context =>
        {
            var authorizationEndpoint = context.Request.Path.StartsWithSegments("/oidc/auth");
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = context.Items[PolicyOverrideItem] as string
                    ?? (authorizationEndpoint ? AuthorizationEndpointContentSecurityPolicy : ContentSecurityPolicy);
                headers.XFrameOptions = "DENY";
                headers.XContentTypeOptions = "nosniff";
                headers["Referrer-Policy"] = "no-referrer";
                headers["Cross-Origin-Opener-Policy"] = "same-origin";
                headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
                return Task.CompletedTask;
            });
            return next(context);
        });
}
