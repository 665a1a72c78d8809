using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kryptos.IntegrationTests.ConnectApi;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace Kryptos.Benchmarks;

/// <summary>
/// <c>GET /v1/users/me</c> with a valid bearer token on two hosts side by side: one with metering
/// on (the default: every request buffered, written in batches by the background writer) and one
/// with <c>Usage:Metering:Enabled=false</c> (baseline). The target: metering on reaches at least
/// 0.95× the requests/s of metering off, i.e. BenchmarkDotNet's Ratio (time) at most 1.05.
/// </summary>
[Config(typeof(InProcessConfig))]
[MemoryDiagnoser]
public class MeteringBenchmarks : IDisposable
{
    private Host _off = null!;
    private Host _on = null!;

    [GlobalSetup]
    public void Setup()
    {
        _off = new Host(metering: false);
        _on = new Host(metering: true);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _off?.Dispose();
        _on?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task<int> MeteringOff() => _off.CallAsync();

    [Benchmark]
    public Task<int> MeteringOn() => _on.CallAsync();

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
    }

    /// <summary>One host, one connected app, one client.</summary>
    private sealed class Host : IDisposable
    {
        private readonly MeteringFactory _factory;
        private readonly HttpClient _http;
        private readonly string _token;

        public Host(bool metering)
        {
            _factory = new MeteringFactory(metering);
            _token = _factory.ConnectAppAsync(ApiIntents.AllScopes).GetAwaiter().GetResult().AccessToken;
            _http = _factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
            if (CallAsync().GetAwaiter().GetResult() == 0)
            {
                throw new InvalidOperationException("Setup failed: /v1/users/me answered nothing.");
            }
        }

        public async Task<int> CallAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/v1/users/me", UriKind.Relative));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
            using var response = await _http.SendAsync(request);
            response.EnsureSuccessStatusCode();
            return (await response.Content.ReadAsByteArrayAsync()).Length;
        }

        public void Dispose()
        {
            _http.Dispose();
            _factory.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
    }

    private sealed class MeteringFactory : KryptosFactory
    {
        public MeteringFactory(bool metering)
        {
            // WebApplicationFactory finds the host's folder through the test project's manifest; from here, say it.
            var root = new DirectoryInfo(AppContext.BaseDirectory);
            while (root is not null && !File.Exists(Path.Combine(root.FullName, "Kryptos.slnx")))
            {
                root = root.Parent;
            }

            Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_KRYPTOS_CONNECT",
                Path.Combine(root?.FullName ?? throw new InvalidOperationException("Kryptos.slnx not found"), "src", "Kryptos.Connect"));
            Settings["Usage:Metering:Enabled"] = metering ? "true" : "false";
            // One client calling as fast as it can: far above any production rate limit.
            Settings["RateLimits:ApiRequestsPerMinute"] = "10000000";
            // Production's cadence, not the tests' 50 ms.
            Settings["Usage:Metering:FlushInterval"] = "00:00:01";
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureLogging(logging => logging.ClearProviders());
        }
    }
}
