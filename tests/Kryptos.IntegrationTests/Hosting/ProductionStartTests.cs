using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// The built host started as an operator starts it (<c>dotnet Kryptos.Connect.dll</c>, environment
/// Production, settings from environment variables). What production requires is checked before the
/// host starts: a missing or wrong setting ends the process with exit code 1 and one line per problem
/// that names the key, never a stack trace. Every options class is validated, nested sections included.
/// </summary>
public sealed class ProductionStartTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(60);

    /// <summary>Everything production needs; each test removes or breaks one thing.</summary>
    private static Dictionary<string, string?> ValidSettings() => new()
    {
        ["Hosting:PublicOrigin"] = "https://connect.example.com",
        ["Hosting:DataProtection:CertificatePath"] = TestCertificate.Path,
        ["Hosting:DataProtection:CertificatePassword"] = TestCertificate.Password,
    };

    [Fact]
    public async Task WithoutPublicOriginAndCertificate_TheProcessExitsNonZero_SayingWhatToSet()
    {
        await using var host = HostProcess.Start("Production", new Dictionary<string, string?>());

        var exitCode = await host.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 1, $"Expected exit code 1 but got {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (still running)"}:{Environment.NewLine}{host.Output}");
        var lines = host.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("Kryptos Connect cannot start: Hosting:PublicOrigin is required outside Development", StringComparison.Ordinal)
            && l.Contains("Hosting__PublicOrigin=https://", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Kryptos Connect cannot start: Hosting:DataProtection:CertificatePath is required outside Development", StringComparison.Ordinal)
            && l.Contains("Hosting__DataProtection__AllowUnprotectedKeys=true", StringComparison.Ordinal));
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithThePublicOriginAndACertificate_TheProcessStarts()
    {
        await using var host = HostProcess.Start("Production", ValidSettings());

        Assert.True(await host.WaitUntilLiveAsync(ExitTimeout), $"The host did not start:{Environment.NewLine}{host.Output}");
        Assert.DoesNotContain("AllowUnprotectedKeys is set", host.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithTheDocumentedOptOut_TheProcessStartsWithoutACertificate_AndWarns()
    {
        await using var host = HostProcess.Start("Production", new Dictionary<string, string?>
        {
            ["Hosting:PublicOrigin"] = "https://connect.example.com",
            ["Hosting:DataProtection:AllowUnprotectedKeys"] = "true",
        });

        Assert.True(await host.WaitUntilLiveAsync(ExitTimeout), $"The host did not start:{Environment.NewLine}{host.Output}");
        Assert.Contains("Hosting:DataProtection:AllowUnprotectedKeys is set", host.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Hosting:PublicOrigin", "", "Hosting:PublicOrigin is required outside Development")]
    [InlineData("Hosting:PublicOrigin", "https://connect.example.com/portal", "Hosting:PublicOrigin must be an absolute http or https origin")]
    [InlineData("Hosting:PublicOrigin", "https://connect.example.com/?tenant=1", "Hosting:PublicOrigin must be an absolute http or https origin")]
    [InlineData("Hosting:PublicOrigin", "ftp://connect.example.com", "Hosting:PublicOrigin must be an absolute http or https origin")]
    [InlineData("Hosting:PublicOrigin", "connect.example.com", "Hosting:PublicOrigin must be an absolute http or https origin")]
    [InlineData("Hosting:DataProtection:CertificatePath", "", "Hosting:DataProtection:CertificatePath is required outside Development")]
    [InlineData("Hosting:DataProtection:CertificatePath", "/nowhere/keys.pfx", "Hosting:DataProtection:CertificatePath: there is no file at '/nowhere/keys.pfx'")]
    [InlineData("Hosting:DataProtection:CertificatePassword", "not the password", "cannot be read as a PKCS#12 certificate with Hosting:DataProtection:CertificatePassword")]
    [InlineData("Hosting:DataProtection:CertificateThumbprint", "0123456789ABCDEF0123456789ABCDEF01234567", "set either CertificatePath or CertificateThumbprint, not both")]
    [InlineData("Hosting:MaxRequestBodyBytes", "10", "The field Hosting:MaxRequestBodyBytes must be between")]
    [InlineData("Authorization:Keys:RsaKeySize", "512", "The field Authorization:Keys:RsaKeySize must be between 2048 and 4096.")]
    [InlineData("Authorization:Keys:RefreshInterval", "00:00:00", "The field Authorization:Keys:RefreshInterval must be between")]
    [InlineData("Email:Smtp:Port", "0", "The field Email:Smtp:Port must be between 1 and 65535.")]
    [InlineData("Accounts:Throttle:FailuresPerIp", "0", "The field Accounts:Throttle:FailuresPerIp must be between 1 and 1000000.")]
    [InlineData("Pruning:Interval", "00:00:00", "The field Pruning:Interval must be between")]
    public async Task AWrongSetting_StopsTheStart_WithAMessageNamingTheKey(string key, string value, string expected)
    {
        var settings = ValidSettings();
        settings[key] = value;
        await using var host = HostProcess.Start("Production", settings);

        var exitCode = await host.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 1, $"Expected exit code 1 but got {exitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none (still running)"}:{Environment.NewLine}{host.Output}");
        Assert.Contains("Kryptos Connect cannot start: ", host.Output, StringComparison.Ordinal);
        Assert.Contains(expected, host.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", host.Output, StringComparison.Ordinal);
    }
}
