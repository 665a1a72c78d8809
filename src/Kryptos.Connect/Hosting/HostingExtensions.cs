using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting.Email;
using Kryptos.Connect.Hosting.Pruning;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Hosting;

public static partial class HostingExtensions
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Hosting:DataProtection:AllowUnprotectedKeys is set: the Data Protection keys, which protect the signing keys, two-factor secrets and sessions, are stored unencrypted in the database.")]
    private static partial void LogUnprotectedKeys(ILogger logger);

    /// <summary>Cross-cutting host services: logging, limits, Data Protection, problem details, rate limits.</summary>
    public static WebApplicationBuilder AddHosting(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<HostingOptions>().BindConfiguration(HostingOptions.SectionName)
            .ValidateDataAnnotationsRecursively(HostingOptions.SectionName)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<HostingOptions>, HostingOptionsValidator>();
        var hosting = builder.Configuration.GetSection(HostingOptions.SectionName).Get<HostingOptions>() ?? new HostingOptions();
        StartupTrace.EnableIfConfigured(builder, hosting);

        if (!builder.Environment.IsDevelopment())
        {
            // One JSON object per line: structured and easy to ship.
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole();
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = hosting.MaxRequestBodyBytes;
        });
        services.Configure<FormOptions>(form =>
        {
            form.ValueLengthLimit = hosting.MaxFormValueBytes;
            form.ValueCountLimit = 256;
            form.MultipartBodyLengthLimit = hosting.MaxRequestBodyBytes;
        });

        services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Behind a TLS-terminating proxy, the client's address (rate limits, audit log) and the
            // https scheme (cookies, OpenID Connect) come from the proxy's headers — only from proxies
            // listed in Hosting:TrustedProxies.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in hosting.TrustedProxies)
            {
                if (System.Net.IPNetwork.TryParse(proxy, out var network))
                {
                    forwarded.KnownIPNetworks.Add(network);
                }
                else
                {
                    forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
                }
            }
        });

        services.AddSingleton(TimeProvider.System);
        services.AddHttpContextAccessor();
        services.AddProblemDetails();
        services.AddScoped<PublicUrls>();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.SectionName)
            .ValidateDataAnnotationsRecursively(EmailOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IEmailTransport>(sp => sp.GetRequiredService<IOptions<EmailOptions>>().Value.UsesSmtp
            ? ActivatorUtilities.CreateInstance<SmtpTransport>(sp)
            : ActivatorUtilities.CreateInstance<PickupDirectoryTransport>(sp));
        services.AddSingleton<EmailDelivery>();
        services.AddSingleton<IEmailSender>(sp => sp.GetRequiredService<EmailDelivery>());
        services.AddHostedService(sp => sp.GetRequiredService<EmailDelivery>());

        // Keys in the database: cookies and tokens survive restarts and are shared by every instance.
        // Encrypted there with a certificate, so a database dump alone yields no usable key. A
        // certificate that cannot be loaded is reported by HostingOptionsValidator before the start.
        var dataProtection = services.AddDataProtection()
            .SetApplicationName("Kryptos.Connect")
            .PersistKeysToDbContext<KryptosDbContext>();
        if (DataProtectionCertificate.TryLoad(hosting.DataProtection) is { } certificate)
        {
            dataProtection.ProtectKeysWithCertificate(certificate);
        }

        services.AddPruning();

        services.AddKryptosRateLimiting();
        services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = builder.Environment.IsDevelopment() ? "kryptos.antiforgery" : "__Host-kryptos.antiforgery";
            antiforgery.Cookie.SecurePolicy = builder.Environment.IsDevelopment()
                ? CookieSecurePolicy.SameAsRequest
                : CookieSecurePolicy.Always;
        });
        return builder;
    }

    /// <summary>The request pipeline's front half, in order, up to (not including) authentication.</summary>
    public static WebApplication UseHosting(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hosting = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value;
        StartupTrace.UseIfEnabled(app);
        // With no known proxy the middleware would trust the headers from anyone: only use it when
        // proxies are configured.
        if (hosting.TrustedProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        if (!app.Environment.IsDevelopment() && !hosting.DataProtection.HasCertificate && hosting.DataProtection.AllowUnprotectedKeys)
        {
            LogUnprotectedKeys(app.Logger);
        }

        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        else
        {
            app.UseExceptionHandler("/error/500");
            app.UseHsts();
        }

        app.UseSecurityHeaders();
        app.UseRequestSizeLimit();
        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseRejectNulInQueryStrings();
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        return app;
    }

    /// <summary><c>/health/live</c> answers while the process runs; <c>/health/ready</c> checks the database.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        return app;
    }

    /// <summary>
    /// Refuses a query string with a NUL character (<c>%00</c>) with 400, as the form reader and
    /// Kestrel already do for bodies and paths: no page needs one, and PostgreSQL refuses NUL in any
    /// text it is sent, so a filter carrying one would otherwise end in a database error. (The
    /// Connect API answers the same with a problem document before this runs.)
    /// </summary>
    private static void UseRejectNulInQueryStrings(this WebApplication app) =>
        app.Use(next => context =>
        {
            if (HasNulInQuery(context.Request))
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return Task.CompletedTask;
            }

            return next(context);
        });

    /// <summary>Whether a query string key or value holds a NUL character once decoded.</summary>
    public static bool HasNulInQuery(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.QueryString.HasValue)
        {
            return false;
        }

        foreach (var (key, values) in request.Query)
        {
            if (key.Contains('\0', StringComparison.Ordinal) || values.Any(v => v is not null && v.Contains('\0', StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Refuses a declared body over the limit before anything reads it. Kestrel enforces the same
    /// limit on streamed bodies; this also covers hosts without Kestrel's limits.
    /// </summary>
    private static void UseRequestSizeLimit(this WebApplication app)
    {
        var limit = app.Services.GetRequiredService<IOptions<HostingOptions>>().Value.MaxRequestBodyBytes;
        app.Use(next => context =>
        {
            if (context.Request.ContentLength > limit)
            {
                context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }
}
