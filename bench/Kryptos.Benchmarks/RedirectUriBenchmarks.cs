using BenchmarkDotNet.Attributes;
using Kryptos.Connect.Authorization.Clients;

namespace Kryptos.Benchmarks;

/// <summary>Validating the redirect URIs of a client form: ten good ones against ten bad ones.</summary>
[MemoryDiagnoser]
public class RedirectUriBenchmarks
{
    private static readonly string[] Good = [.. Enumerable.Range(0, 10).Select(i => $"https://app{i}.example.com/callback?x={i}")];
    private static readonly string[] Bad = [.. Enumerable.Range(0, 10).Select(i => $"http://app{i}.example.com/callback#frag")];

    [Benchmark(Baseline = true)]
    public int TenGoodUris() => Good.Count(uri => RedirectUriRules.ValidateRedirectUri(uri) is null);

    [Benchmark]
    public int TenBadUris() => Bad.Count(uri => RedirectUriRules.ValidateRedirectUri(uri) is null);
}
