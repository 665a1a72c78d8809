using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Hosting;

/// <summary>Settings of the <c>Hosting</c> section (see docs/configuration.md).</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>
    /// The origin users reach the product at, such as <c>https://connect.example.com</c>; used for
    /// links in mails. Empty: taken from each request (fine behind a proxy that fixes the Host header).
    /// </summary>
    [Url]
    public string? PublicOrigin { get; set; }

    /// <summary>Largest request body accepted, in bytes (Kestrel allows ~28 MB by default).</summary>
    [Range(16 * 1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest single form value, in bytes.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxFormValueBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// A PKCS#12 certificate that encrypts the Data Protection keys stored in the database. Leave
    /// empty for local runs; set it in production so a database dump does not hold usable keys.
    /// </summary>
    public string? DataProtectionCertificatePath { get; set; }

    public string? DataProtectionCertificatePassword { get; set; }

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR networks such as 10.0.0.0/8) whose X-Forwarded-For and
    /// X-Forwarded-Proto headers are trusted. Empty: the headers are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];
}
