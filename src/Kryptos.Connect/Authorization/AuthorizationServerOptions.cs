using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Authorization.Keys;

namespace Kryptos.Connect.Authorization;

/// <summary>Settings of the <c>Authorization</c> section (see docs/configuration.md). Defaults follow docs/architecture.md.</summary>
public sealed class AuthorizationServerOptions
{
    public const string SectionName = "Authorization";

    /// <summary>The audience of access tokens for the Connect API.</summary>
    [Required]
    public string ApiAudience { get; set; } = "kryptos-connect-api";

    [Range(typeof(TimeSpan), "00:00:10", "00:10:00")]
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(5);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan IdentityTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Sliding: each refresh issues a new refresh token with this lifetime …</summary>
    [Range(typeof(TimeSpan), "00:01:00", "400.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>… but a chain of refreshes ends this long after its code was redeemed (absolute cap); the user signs in again.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan RefreshTokenAbsoluteLifetime { get; set; } = TimeSpan.FromDays(90);

    public ServerKeyOptions Keys { get; set; } = new();
}
