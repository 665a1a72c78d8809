using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// <c>Hosting:StartupTrace</c>, the measuring aid of <c>bench/startup --trace</c>: the built host,
/// started as an operator starts it, logs its start-up phases once <c>/health/ready</c> first answers
/// 200, in start order, and still starts normally (migrations applied, ready answered). Without the
/// setting it logs none of it. Nothing here is timed.
/// </summary>
public sealed class StartupTraceTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private static Dictionary<string, string?> Settings(bool trace) => new()
    {
        ["Hosting:PublicOrigin"] = "https://connect.example.com",
        ["Hosting:DataProtection:CertificatePath"] = TestCertificate.Path,
        ["Hosting:DataProtection:CertificatePassword"] = TestCertificate.Password,
        ["Hosting:StartupTrace"] = trace ? "true" : null,
    };

    [Fact]
    public async Task WithTheTraceOn_ReadyAnswers_AndThePhasesAreLoggedInStartOrder()
    {
        await using var host = HostProcess.Start("Production", Settings(trace: true));

        Assert.True(await host.WaitUntilLiveAsync(StartTimeout), $"The host did not start:{Environment.NewLine}{host.Output}");
        using var http = new HttpClient { BaseAddress = host.Address };
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);

        // The report is written right after the first 200 of /health/ready, on the server's side.
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!host.Output.Contains("first /health/ready answered 200", StringComparison.Ordinal) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        var output = host.Output;
        string[] phases =
        [
            "runtime start, Main, CreateBuilder, AddData",
            "service provider built",
            "EF Core model built",
            "hosted DatabaseInitializer",
            "Data Protection key ring loaded",
            "hosted ServerKeyRingRefresher",
            "hosted GenericWebHostService",
            "Kestrel listening",
            "first /health/ready answered 200",
        ];
        var positions = phases.Select(p => output.IndexOf(p, StringComparison.Ordinal)).ToList();
        Assert.True(positions.TrueForAll(p => p >= 0), $"A phase is missing from the trace:{Environment.NewLine}{output}");
        Assert.True(positions.SequenceEqual(positions.Order()), $"The phases are not in start order:{Environment.NewLine}{output}");
        Assert.DoesNotContain(TestCertificate.Password, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutTheSetting_NothingIsTraced()
    {
        await using var host = HostProcess.Start("Production", Settings(trace: false));

        Assert.True(await host.WaitUntilLiveAsync(StartTimeout), $"The host did not start:{Environment.NewLine}{host.Output}");
        using var http = new HttpClient { BaseAddress = host.Address };
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.DoesNotContain("startup-trace", host.Output, StringComparison.Ordinal);
    }
}
