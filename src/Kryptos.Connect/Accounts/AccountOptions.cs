using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Accounts;

/// <summary>Settings of the <c>Accounts</c> section (see docs/configuration.md).</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>PBKDF2-HMAC-SHA512 iterations; OWASP asks for at least 210,000.</summary>
    [Range(210_000, 10_000_000)]
    public int PasswordHashIterations { get; set; } = 210_000;

    [Range(8, 128)]
    public int PasswordMinLength { get; set; } = 8;

    [Range(3, 100)]
    public int MaxFailedLoginAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:01:00", "400.00:00:00")]
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often a session re-checks the account's security stamp.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SecurityStampValidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan EmailConfirmationLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    [Range(typeof(TimeSpan), "00:05:00", "7.00:00:00")]
    public TimeSpan PasswordResetLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    public LoginThrottleOptions Throttle { get; set; } = new();

    public AccountRateLimitOptions RateLimits { get; set; } = new();
}

/// <summary>Failed password checks before further attempts are refused (see <see cref="LoginThrottle"/>).</summary>
public sealed class LoginThrottleOptions
{
    /// <summary>Failures against one account from one IP address per <see cref="Window"/>; a success clears them.</summary>
    [Range(1, 10_000)]
    public int FailuresPerAccountAndIp { get; set; } = 10;

    /// <summary>Failures from one IP address against any account per <see cref="Window"/> (password spraying).</summary>
    [Range(1, 1_000_000)]
    public int FailuresPerIp { get; set; } = 100;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Ceilings on form submissions per client IP, successful or not, far above what people do: they stop
/// scripts. Rejections answer 429 with <c>Retry-After</c>.
/// </summary>
public sealed class AccountRateLimitOptions
{
    /// <summary>Login and second-factor submissions per IP per <see cref="LoginWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int LoginAttemptsPerIp { get; set; } = 300;

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan LoginWindow { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Sign-ups per IP per <see cref="FormWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int SignUpsPerIp { get; set; } = 20;

    /// <summary>Password-reset requests per IP per <see cref="FormWindow"/>.</summary>
    [Range(1, 1_000_000)]
    public int PasswordResetRequestsPerIp { get; set; } = 20;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan FormWindow { get; set; } = TimeSpan.FromHours(1);
}
