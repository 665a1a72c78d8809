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

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) =>
        app.Use(next => context =>
        {
            context.Response.OnStarting(() =>
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
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
