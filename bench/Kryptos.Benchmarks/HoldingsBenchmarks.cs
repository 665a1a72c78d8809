using System.Net.Http.Headers;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Kryptos.Connect.Portfolio.Demo;
using Kryptos.Connect.Portfolio.Views;
using Kryptos.IntegrationTests.ConnectApi;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.Benchmarks;

/// <summary>
/// <c>GET /v1/holdings</c> over the demo data set (315 transactions, four accounts), through the whole
/// host (TestServer, real token, real SQLite file), one request at a time, so one core serves it: the
/// target is at least 1,000 requests/s, a mean under 1 ms. Beside it, in the same run:
/// <c>/v1/users/me</c> (the cheapest authenticated call, the baseline) and holdings recomputed on every
/// request (the cache dropped first), which is what the cached views save.
/// </summary>
[Config(typeof(InProcessConfig))]
[MemoryDiagnoser]
public class HoldingsBenchmarks : IDisposable
{
    private UsersMeBenchmarks.BenchFactory _factory = null!;
    private HttpClient _http = null!;
    private string _token = null!;
    private IPortfolioViews _views = null!;
    private Guid _workspaceId;

    [GlobalSetup]
    public void Setup()
    {
        _factory = new UsersMeBenchmarks.BenchFactory();
        var app = _factory.ConnectAppAsync(ApiIntents.AllScopes).GetAwaiter().GetResult();
        _token = app.AccessToken;
        _http = _factory.CreateClient(new() { BaseAddress = new Uri("https://localhost") });
        _views = _factory.Services.GetRequiredService<IPortfolioViews>();
        using (var workspace = SendAsync("/v1/workspace").GetAwaiter().GetResult())
        {
            var json = System.Text.Json.JsonDocument.Parse(workspace.Content.ReadAsStringAsync().GetAwaiter().GetResult());
            _workspaceId = json.RootElement.GetProperty("data").GetProperty("id").GetGuid();
        }

        using (var scope = _factory.Services.CreateScope())
        {
            var loaded = scope.ServiceProvider.GetRequiredService<DemoDataLoader>().LoadDemoAsync(_workspaceId).GetAwaiter().GetResult();
            if (loaded?.Transactions != DemoPortfolio.TransactionCount)
            {
                throw new InvalidOperationException("The demo data did not load.");
            }
        }

        using var check = SendAsync("/v1/holdings").GetAwaiter().GetResult();
        if (!check.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Setup failed: {(int)check.StatusCode}");
        }
    }

    [GlobalCleanup]
    public void Dispose()
    {
        _http?.Dispose();
        _factory?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        GC.SuppressFinalize(this);
    }

    [Benchmark(Baseline = true)]
    public Task<int> UsersMe() => ReadAsync("/v1/users/me");

    [Benchmark]
    public Task<int> Holdings_Cached() => ReadAsync("/v1/holdings");

    [Benchmark]
    public Task<int> Holdings_RecomputedEveryTime()
    {
        _views.Invalidate(_workspaceId);
        return ReadAsync("/v1/holdings");
    }

    private async Task<int> ReadAsync(string path)
    {
        using var response = await SendAsync(path);
        return (await response.Content.ReadAsByteArrayAsync()).Length;
    }

    private Task<HttpResponseMessage> SendAsync(string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
        return _http.SendAsync(request);
    }

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig() => AddJob(Job.ShortRun.WithWarmupCount(3).WithIterationCount(15).WithToolchain(InProcessEmitToolchain.Instance));
    }
}
