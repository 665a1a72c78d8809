using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// The rules of the <c>Hosting</c> section that depend on the environment. Outside Development the
/// host refuses to start without a public origin (the issuer and mail links would otherwise follow
/// the Host header of whoever sends a request) and without a certificate for the Data Protection keys
/// (unless the documented opt-out is set). Every message names the key and says how to set it.
/// </summary>
internal sealed class HostingOptionsValidator(IHostEnvironment environment) : IValidateOptions<HostingOptions>
{
    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        ValidatePublicOrigin(options.PublicOrigin, failures);
        ValidateDataProtection(options.DataProtection, failures);
        if (!options.TrustedProxies.TrueForAll(p => System.Net.IPNetwork.TryParse(p, out _) || System.Net.IPAddress.TryParse(p, out _)))
        {
            failures.Add("Hosting:TrustedProxies must hold IP addresses or CIDR networks.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>An origin: scheme, host and port only. A path would be silently dropped or doubled in links.</summary>
    public static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
        // Uri accepts "https://host/?" and "https://host/#" with an empty query or fragment.
        && !value.Contains('?', StringComparison.Ordinal) && !value.Contains('#', StringComparison.Ordinal);

    private void ValidatePublicOrigin(string? origin, List<string> failures)
    {
        if (string.IsNullOrWhiteSpace(origin))
        {
            if (!environment.IsDevelopment())
            {
                failures.Add("Hosting:PublicOrigin is required outside Development: set it to the origin users reach, "
                    + "e.g. the environment variable Hosting__PublicOrigin=https://connect.example.com.");
            }

            return;
        }

        if (!IsOrigin(origin))
        {
            failures.Add($"Hosting:PublicOrigin must be an absolute http or https origin such as https://connect.example.com, "
                + $"without path, query or fragment (it is '{origin}').");
        }
    }

    private void ValidateDataProtection(DataProtectionKeysOptions keys, List<string> failures)
    {
        if (!string.IsNullOrWhiteSpace(keys.CertificatePath) && !string.IsNullOrWhiteSpace(keys.CertificateThumbprint))
        {
            failures.Add("Hosting:DataProtection: set either CertificatePath or CertificateThumbprint, not both.");
            return;
        }

        if (!keys.HasCertificate)
        {
            if (!environment.IsDevelopment() && !keys.AllowUnprotectedKeys)
            {
                failures.Add("Hosting:DataProtection:CertificatePath is required outside Development: the Data Protection keys "
                    + "(which protect signing keys, two-factor secrets and sessions) must be encrypted at rest. "
                    + "Set Hosting__DataProtection__CertificatePath to a PKCS#12 (.pfx) file and Hosting__DataProtection__CertificatePassword "
                    + "to its password (or Hosting__DataProtection__CertificateThumbprint to a certificate in the My store), "
                    + "or set Hosting__DataProtection__AllowUnprotectedKeys=true to store them unencrypted.");
            }

            return;
        }

        try
        {
            using var certificate = DataProtectionCertificate.Load(keys);
        }
        catch (DataProtectionCertificateException exception)
        {
            failures.Add(exception.Message);
        }
    }
}

/// <summary>The certificate that encrypts the Data Protection keys at rest, from a PKCS#12 file or the certificate store.</summary>
internal static class DataProtectionCertificate
{
    /// <summary>The configured certificate, or null when none is configured or it cannot be loaded (the validator reports why).</summary>
    public static X509Certificate2? TryLoad(DataProtectionKeysOptions keys)
    {
        if (!keys.HasCertificate)
        {
            return null;
        }

        try
        {
            return Load(keys);
        }
        catch (DataProtectionCertificateException)
        {
            return null;
        }
    }

    public static X509Certificate2 Load(DataProtectionKeysOptions keys)
    {
        var certificate = string.IsNullOrWhiteSpace(keys.CertificatePath)
            ? FromStore(keys.CertificateThumbprint!)
            : FromFile(keys.CertificatePath, keys.CertificatePassword);
        // The keys are encrypted with RSA (XML encryption's key transport); decrypting needs the private key.
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            certificate.Dispose();
            throw new DataProtectionCertificateException(
                "Hosting:DataProtection: the certificate must be an RSA certificate with its private key.");
        }

        return certificate;
    }

    private static X509Certificate2 FromFile(string path, string? password)
    {
        var fullPath = Path.GetFullPath(path);
        if (!File.Exists(fullPath))
        {
            throw new DataProtectionCertificateException($"Hosting:DataProtection:CertificatePath: there is no file at '{fullPath}'.");
        }

        try
        {
            return X509CertificateLoader.LoadPkcs12FromFile(fullPath, password);
        }
        catch (CryptographicException exception)
        {
            throw new DataProtectionCertificateException(
                $"Hosting:DataProtection:CertificatePath: '{fullPath}' cannot be read as a PKCS#12 certificate with "
                + $"Hosting:DataProtection:CertificatePassword ({exception.Message})");
        }
    }

    private static X509Certificate2 FromStore(string thumbprint)
    {
        var wanted = thumbprint.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        foreach (var location in new[] { StoreLocation.CurrentUser, StoreLocation.LocalMachine })
        {
            try
            {
                using var store = new X509Store(StoreName.My, location);
                store.Open(OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
                foreach (var candidate in store.Certificates.Find(X509FindType.FindByThumbprint, wanted, validOnly: false))
                {
                    if (candidate.HasPrivateKey)
                    {
                        return candidate;
                    }

                    candidate.Dispose();
                }
            }
            catch (CryptographicException)
            {
                // The store does not exist (or, on Linux, the machine's My store is not supported): try the next.
            }
        }

        throw new DataProtectionCertificateException(
            $"Hosting:DataProtection:CertificateThumbprint: no certificate with thumbprint {wanted} and a private key "
            + "is in the My store of the current user or the machine.");
    }
}

/// <summary>A configured certificate that cannot be used; the message names the setting.</summary>
internal sealed class DataProtectionCertificateException(string message) : Exception(message);
