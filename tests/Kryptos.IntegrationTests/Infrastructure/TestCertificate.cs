using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// A self-signed RSA certificate in a password-protected PKCS#12 file, made once per test run: the
/// hosts encrypt their Data Protection keys with it, as production does. One certificate for the
/// whole run, so a host restarted on the same database can still read its keys.
/// </summary>
public static class TestCertificate
{
    public const string Password = "kryptos-test-certificate";

    private static readonly Lazy<string> File = new(Create);

    /// <summary>The PKCS#12 file (in the temp folder, removed when the test process exits).</summary>
    public static string Path => File.Value;

    /// <summary>A new self-signed certificate with its private key, for tests that need a second one.</summary>
    public static X509Certificate2 CreateCertificate(string subject = "CN=Kryptos Connect test keys")
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
    }

    private static string Create()
    {
        var folder = Directory.CreateTempSubdirectory("kryptos-test-certificate-").FullName;
        var path = System.IO.Path.Combine(folder, "data-protection.pfx");
        using (var certificate = CreateCertificate())
        {
            System.IO.File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, Password));
        }

        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left in the temp folder; it holds nothing but a throw-away test key.
            }
        };
        return path;
    }
}
