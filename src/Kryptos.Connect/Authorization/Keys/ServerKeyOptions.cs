using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Authorization.Keys;

/// <summary>Settings of <c>Authorization:Keys</c> (see docs/configuration.md).</summary>
public sealed class ServerKeyOptions
{
    /// <summary>How long a key signs before the next one takes over.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "3650.00:00:00")]
    public TimeSpan RotationPeriod { get; set; } = TimeSpan.FromDays(90);

    /// <summary>How long the next key is published in JWKS before it is used, so caches pick it up.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan PublishAhead { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a retired key still validates and decrypts (covers the longest-lived token).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "3650.00:00:00")]
    public TimeSpan RetainAfterRetirement { get; set; } = TimeSpan.FromDays(100);

    /// <summary>How often each instance re-reads the key ring and rotates when due.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromMinutes(10);

    [Range(2048, 4096)]
    public int RsaKeySize { get; set; } = 2048;
}
