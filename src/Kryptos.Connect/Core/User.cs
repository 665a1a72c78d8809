using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Core;

/// <summary>A Kryptos account: one per person, signed in with email and password.</summary>
public sealed class User : IdentityUser<Guid>
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = "";

    /// <summary>BCP 47 language tag shown to apps as <c>locale</c>.</summary>
    public string Language { get; set; } = "en";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>
    /// Set by an operator to suspend the account: it cannot log in, and apps lose access at their next
    /// token request. Unlike a lockout (a few wrong passwords), it does not lift by itself.
    /// </summary>
    public DateTimeOffset? DisabledAt { get; set; }

    public bool IsDisabled => DisabledAt is not null;
}
