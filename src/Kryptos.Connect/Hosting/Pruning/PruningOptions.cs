using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Hosting.Pruning;

/// <summary>Settings of the <c>Pruning</c> section (see docs/configuration.md).</summary>
public sealed class PruningOptions
{
    public const string SectionName = "Pruning";

    /// <summary>Whether this instance runs the scheduled passes (a pass at start, then every <see cref="Interval"/>).</summary>
    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long OAuth tokens and grants are kept, counted from their creation, before an expired,
    /// redeemed or revoked one is removed (OpenIddict's own default is 14 days).
    /// </summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan OAuthRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long an expired, revoked or accepted invitation is kept (its link then says so, rather than "not found").</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan InvitationRetention { get; set; } = TimeSpan.FromDays(30);
}
