using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Accounts;

/// <summary>A Kryptos account: one per person, signed in with email and password.</summary>
public sealed class User : IdentityUser<Guid>
{
    public const int DisplayNameMaxLength = 100;

    public string DisplayName { get; set; } = "";

    /// <summary>BCP 47 language tag shown to apps as <c>locale</c>.</summary>
    public string Language { get; set; } = "en";

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }
}
