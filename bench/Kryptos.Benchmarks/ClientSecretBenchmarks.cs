using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Kryptos.Connect.Hosting;

namespace Kryptos.Benchmarks;

/// <summary>
/// What checking a client secret costs at the token endpoint: SHA-256 of a 256-bit secret (what we
/// store, decision 5) against PBKDF2-HMAC-SHA512 with the 210,000 iterations we use for passwords.
/// </summary>
[MemoryDiagnoser]
public class ClientSecretBenchmarks
{
    private readonly string _secret = "kryptos_cs_" + SecureTokens.Create();
    private readonly byte[] _salt = RandomNumberGenerator.GetBytes(16);

    [Benchmark(Baseline = true)]
    public string Sha256_AsStored() => SecureTokens.Hash(_secret);

    [Benchmark]
    public byte[] Pbkdf2Sha512_210k_AsForPasswords() =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(_secret), _salt, 210_000, HashAlgorithmName.SHA512, 32);
}
