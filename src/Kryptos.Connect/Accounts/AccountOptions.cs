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

    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>How often a session re-checks the account's security stamp.</summary>
    public TimeSpan SecurityStampValidationInterval { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan EmailConfirmationLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    public TimeSpan PasswordResetLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    public LoginRateLimitOptions LoginRateLimit { get; set; } = new();
}

/// <summary>Limits on login, sign-up and reset submissions; rejected requests get 429 + Retry-After.</summary>
public sealed class LoginRateLimitOptions
{
    /// <summary>Form submissions one client IP may make per <see cref="Window"/>.</summary>
    [Range(1, 100_000)]
    public int PermitsPerIp { get; set; } = 30;

    /// <summary>Login attempts against one account per <see cref="Window"/>, from anywhere.</summary>
    [Range(1, 100_000)]
    public int PermitsPerAccount { get; set; } = 10;

    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(5);
}
