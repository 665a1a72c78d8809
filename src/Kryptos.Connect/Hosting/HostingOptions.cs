using System.ComponentModel.DataAnnotations;

namespace Kryptos.Connect.Hosting;

/// <summary>Settings of the <c>Hosting</c> section (see docs/configuration.md).</summary>
public sealed class HostingOptions
{
    public const string SectionName = "Hosting";

    /// <summary>
    /// The origin users reach the product at, such as <c>https://connect.example.com</c>: the OpenID
    /// Connect issuer and every link in a mail are built from it, never from a request's Host header.
    /// Required outside Development (see <see cref="HostingOptionsValidator"/>); empty in Development,
    /// the request's own origin is used, so <c>dotnet run</c> works on any port.
    /// </summary>
    public string? PublicOrigin { get; set; }

    /// <summary>Largest request body accepted, in bytes (Kestrel allows ~28 MB by default).</summary>
    [Range(16 * 1024, 100 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>Largest single form value, in bytes.</summary>
    [Range(1024, 10 * 1024 * 1024)]
    public int MaxFormValueBytes { get; set; } = 64 * 1024;

    /// <summary>How the Data Protection keys are encrypted at rest (<c>Hosting:DataProtection</c>).</summary>
    public DataProtectionKeysOptions DataProtection { get; set; } = new();

    /// <summary>
    /// Reverse proxies (IP addresses or CIDR networks such as 10.0.0.0/8) whose X-Forwarded-For and
    /// X-Forwarded-Proto headers are trusted. Empty: the headers are ignored.
    /// </summary>
    public List<string> TrustedProxies { get; set; } = [];

    /// <summary>
    /// Logs where start-up time went (phases, JIT, GC, memory) once <c>/health/ready</c> first answers:
    /// a measuring aid for <c>bench/startup --trace</c>, off in normal runs.
    /// </summary>
    public bool StartupTrace { get; set; }
}

/// <summary>
/// Settings of <c>Hosting:DataProtection</c>. The Data Protection keys protect the authorization
/// server's private keys, two-factor secrets, sessions and every protected cookie; they are stored in
/// the database, so outside Development they must be encrypted with a certificate there (a database
/// dump alone must not yield usable keys).
/// </summary>
public sealed class DataProtectionKeysOptions
{
    /// <summary>A PKCS#12 (.pfx) file with an RSA certificate and its private key.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>; keep it in an environment variable or a secret store.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>Or: the thumbprint of a certificate (with private key) in the "My" store of the current user or the machine.</summary>
    public string? CertificateThumbprint { get; set; }

    /// <summary>
    /// Outside Development, start without a certificate and keep the keys unencrypted in the database
    /// (a warning is logged at every start). For a database that is itself encrypted and access-controlled.
    /// </summary>
    public bool AllowUnprotectedKeys { get; set; }

    public bool HasCertificate => !string.IsNullOrWhiteSpace(CertificatePath) || !string.IsNullOrWhiteSpace(CertificateThumbprint);
}
