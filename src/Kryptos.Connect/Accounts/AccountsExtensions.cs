using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Hosting.Pruning;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.RateLimiting;

namespace Kryptos.Connect.Accounts;

public static class AccountsExtensions
{
    /// <summary>ASP.NET Core Identity with the settings of docs/decisions/0004-password-and-login-policy.md, sessions and email.</summary>
    public static WebApplicationBuilder AddAccounts(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AccountOptions>().BindConfiguration(AccountOptions.SectionName)
            .ValidateDataAnnotationsRecursively(AccountOptions.SectionName).ValidateOnStart();
        var accounts = builder.Configuration.GetSection(AccountOptions.SectionName).Get<AccountOptions>() ?? new AccountOptions();

        services.AddAuthentication(IdentityConstants.ApplicationScheme).AddIdentityCookies();
        services.AddIdentityCore<User>(options =>
            {
                options.User.RequireUniqueEmail = true;
                // "Confirmed" means "not disabled" here (AccountStatus); email verification is checked where it matters.
                options.SignIn.RequireConfirmedAccount = true;
                // NIST SP 800-63B: length and a block-list instead of composition rules.
                options.Password.RequiredLength = accounts.PasswordMinLength;
                options.Password.RequireDigit = false;
                options.Password.RequireLowercase = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequiredUniqueChars = 4;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = accounts.MaxFailedLoginAttempts;
                options.Lockout.DefaultLockoutTimeSpan = accounts.LockoutDuration;
                options.Tokens.EmailConfirmationTokenProvider = EmailConfirmationTokenProvider.ProviderName;
            })
            .AddEntityFrameworkStores<KryptosDbContext>()
            .AddUserStore<KryptosUserStore>()
            .AddSignInManager()
            .AddDefaultTokenProviders()
            .AddTokenProvider<EmailConfirmationTokenProvider>(EmailConfirmationTokenProvider.ProviderName)
            .AddPasswordValidator<CommonPasswordValidator>();
        services.AddScoped<IUserConfirmation<User>, AccountStatus>();

        services.Configure<PasswordHasherOptions>(o =>
        {
            o.CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3; // PBKDF2-HMAC-SHA512
            o.IterationCount = accounts.PasswordHashIterations;
        });
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = accounts.PasswordResetLinkLifetime);
        services.Configure<EmailConfirmationTokenProviderOptions>(o => o.TokenLifespan = accounts.EmailConfirmationLinkLifetime);
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = accounts.SecurityStampValidationInterval);

        services.AddSingleton<ITicketStore, DatabaseTicketStore>();
        services.AddPruner<ExpiredSessionPruner>();
        services.AddOptions<CookieAuthenticationOptions>(IdentityConstants.ApplicationScheme)
            .Configure<ITicketStore, IHostEnvironment>((cookie, store, environment) =>
            {
                cookie.SessionStore = store;
                // __Host-: only this exact origin can set the cookie (no subdomain can plant a session,
                // which with server-side sessions would be session fixation). Needs https, hence not
                // in local development.
                cookie.Cookie.Name = environment.IsDevelopment() ? "kryptos.session" : "__Host-kryptos.session";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Lax;
                // Plain http is tolerated for local development only.
                cookie.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
                cookie.ExpireTimeSpan = accounts.SessionLifetime;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = "/account/login";
                cookie.LogoutPath = "/account/logout";
                cookie.AccessDeniedPath = "/error/403";
                cookie.ReturnUrlParameter = "returnUrl";
                cookie.Events.OnSigningIn = context =>
                {
                    AuthenticationTimes.StampIfNew(context.Properties, context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
                    return Task.CompletedTask;
                };
            });

        services.AddSingleton<LoginThrottle>();
        services.AddScoped<PasswordConfirmation>();
        services.AddScoped<AccountDeletion>();
        services.AddOptions<RateLimiterOptions>().Configure(options => AccountRateLimits.AddPolicies(options, accounts.RateLimits));
        services.AddScoped<IHandles<AccountSignedOutEverywhere>, EndSessionsOnSignOutEverywhere>();
        services.AddScoped<IDataSeeder, DemoAccount>();
        services.AddScoped<AccountEmails>();
        return builder;
    }
}
