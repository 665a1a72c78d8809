using System.Security.Cryptography.X509Certificates;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// The Data Protection keys (which protect signing keys, two-factor secrets and sessions) are stored
/// in the database encrypted with the configured certificate: a database dump alone holds no usable
/// key. Without a certificate only the documented opt-out lets the host start (see ProductionStartTests).
/// </summary>
public sealed class DataProtectionKeyEncryptionTests
{
    [Fact]
    public async Task KeysInTheDatabase_AreEncryptedWithTheCertificateFromAFile()
    {
        await using var factory = new KryptosFactory();

        var keys = await KeysAfterFirstUseAsync(factory);

        Assert.All(keys, AssertEncrypted);
    }

    [Fact]
    public async Task KeysInTheDatabase_AreEncryptedWithACertificateFromTheStore_ByThumbprint()
    {
        using var certificate = TestCertificate.CreateCertificate("CN=Kryptos Connect store test " + Guid.NewGuid().ToString("N"));
        using var store = new X509Store(StoreName.My, StoreLocation.CurrentUser);
        store.Open(OpenFlags.ReadWrite);
        store.Add(certificate);
        try
        {
            await using var factory = new SettingsFactory(
                ("Hosting:DataProtection:CertificatePath", ""),
                ("Hosting:DataProtection:CertificateThumbprint", certificate.Thumbprint));

            var keys = await KeysAfterFirstUseAsync(factory);

            Assert.All(keys, AssertEncrypted);
            Assert.All(keys, xml => Assert.Contains(Convert.ToBase64String(certificate.RawData), xml, StringComparison.Ordinal));
        }
        finally
        {
            store.Remove(certificate);
        }
    }

    [Fact]
    public async Task WithTheOptOut_KeysAreStoredUnencrypted_AndEveryStartSaysSo()
    {
        await using var factory = new SettingsFactory(
            ("Hosting:DataProtection:CertificatePath", ""),
            ("Hosting:DataProtection:AllowUnprotectedKeys", "true"));

        var keys = await KeysAfterFirstUseAsync(factory);

        // The control for the tests above: unencrypted, a key is a plain <masterKey> value.
        Assert.All(keys, xml => Assert.Contains("<masterKey", xml, StringComparison.Ordinal));
        Assert.Contains(factory.Logs.Messages, m => m.StartsWith("Warning", StringComparison.Ordinal)
            && m.Contains("Hosting:DataProtection:AllowUnprotectedKeys is set", StringComparison.Ordinal));
    }

    private static void AssertEncrypted(string xml)
    {
        Assert.Contains("<encryptedSecret", xml, StringComparison.Ordinal);
        Assert.Contains("<EncryptedData", xml, StringComparison.Ordinal);
        Assert.DoesNotContain("<masterKey", xml, StringComparison.Ordinal);
    }

    /// <summary>Signs up a user (antiforgery and the session need a key), then reads the key ring as stored.</summary>
    private static async Task<List<string>> KeysAfterFirstUseAsync(KryptosFactory factory)
    {
        var (_, client) = await factory.SignedInUserAsync();
        client.Dispose();
        var keys = await factory.WithDbAsync(db => db.DataProtectionKeys.Select(k => k.Xml!).ToListAsync());
        Assert.NotEmpty(keys);
        return keys;
    }

    private sealed class SettingsFactory : KryptosFactory
    {
        public SettingsFactory(params (string Key, string Value)[] settings)
        {
            foreach (var (key, value) in settings)
            {
                Settings[key] = value;
            }
        }
    }
}
