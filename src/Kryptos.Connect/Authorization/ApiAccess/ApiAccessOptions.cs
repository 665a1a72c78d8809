using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Authorization.ApiAccess;

/// <summary>
/// Settings of <c>Authorization:ApiAccess</c>: how the Connect API checks access tokens (see
/// docs/configuration.md). The defaults keep a revoked grant working for at most a few seconds.
/// </summary>
public sealed class ApiAccessOptions
{
    public const string SectionName = AuthorizationServerOptions.SectionName + ":ApiAccess";

    /// <summary>How often every instance reloads the revocation view from the database.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:02")]
    public TimeSpan RevocationRefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A revocation view older than this (the database unreachable) refuses every token with 503
    /// rather than honouring grants that may have been revoked since.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:05", "00:10:00")]
    public TimeSpan RevocationStaleAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many validated access tokens are remembered (by hash) at most.</summary>
    [Range(16, 1_000_000)]
    public int ValidatedTokenCacheSize { get; set; } = 10_000;
}
