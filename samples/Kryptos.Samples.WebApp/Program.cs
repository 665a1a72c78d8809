using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;

namespace Kryptos.Samples.WebApp;

/// <summary>
/// The sample's entry point. A named class rather than top-level statements: the generated
/// <c>Program</c> class would clash with the Kryptos host's in the browser tests, which start both
/// (<c>WebApplicationFactory&lt;SampleProgram&gt;</c>).
/// </summary>
public sealed class SampleProgram
{
    private SampleProgram()
    {
    }

    public static void Main(string[] args) => Build(args).Run();

    private static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var kryptos = builder.Configuration.GetSection(KryptosSettings.SectionName).Get<KryptosSettings>() ?? new KryptosSettings();

        // The app's own session is a cookie; signing in is delegated to Kryptos (OpenID Connect).
        var authentication = builder.Services.AddAuthentication(options =>
        {
            options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            options.DefaultChallengeScheme = OpenIdConnectDefaults.AuthenticationScheme;
        }).AddCookie(cookie =>
        {
            cookie.Cookie.Name = "sample.session";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            cookie.ExpireTimeSpan = TimeSpan.FromHours(8);
        });
        if (kryptos.IsConfigured)
        {
            authentication.AddOpenIdConnect(options => KryptosSignIn.Configure(options, kryptos));
        }

        builder.Services.AddAntiforgery(antiforgery => antiforgery.Cookie.Name = "sample.antiforgery");

        var app = builder.Build();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error");
            app.UseHsts();
        }

        app.UseAuthentication();

        app.MapGet("/", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            context.Response.Headers.CacheControl = "no-store";
            if (!kryptos.IsConfigured)
            {
                var request = context.Request;
                return Results.Content(SamplePages.Setup($"{request.Scheme}://{request.Host}{request.PathBase}", kryptos.Authority), "text/html; charset=utf-8");
            }

            var session = await context.AuthenticateAsync();
            if (!session.Succeeded)
            {
                return Results.Content(SamplePages.SignedOut(kryptos.Authority), "text/html; charset=utf-8");
            }

            var user = session.Principal!;
            var tokens = antiforgery.GetAndStoreTokens(context);
            return Results.Content(
                SamplePages.SignedIn(
                    user.Identity?.Name ?? user.FindFirst("sub")?.Value ?? "Kryptos user",
                    user.FindFirst("email")?.Value,
                    KryptosSignIn.GrantedScopes(session.Properties),
                    tokens.FormFieldName,
                    tokens.RequestToken!),
                "text/html; charset=utf-8");
        });

        // "Sign in with Kryptos": off to Kryptos's authorization endpoint, back at /signin-oidc, then home.
        app.MapGet("/signin", async (HttpContext context) =>
        {
            if (!kryptos.IsConfigured)
            {
                context.Response.Redirect("/");
                return;
            }

            await KryptosSignIn.ChallengeAsync(context, new AuthenticationProperties { RedirectUri = "/" });
        });

        // Ends the local session, then Kryptos's (RP-initiated logout at /oidc/session/end), which sends the
        // browser back to /signout-callback-oidc and from there home. A POST with a token: no other site can
        // sign the user out.
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            return kryptos.IsConfigured
                ? Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieAuthenticationDefaults.AuthenticationScheme, OpenIdConnectDefaults.AuthenticationScheme])
                : Results.SignOut(new AuthenticationProperties { RedirectUri = "/" }, [CookieAuthenticationDefaults.AuthenticationScheme]);
        });

        app.MapGet("/error", () => Results.Content(SamplePages.Error(), "text/html; charset=utf-8", statusCode: StatusCodes.Status500InternalServerError));

        return app;
    }
}
