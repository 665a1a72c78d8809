using BenchmarkDotNet.Running;

// Runs every benchmark class (or those matched by --filter), each with its baseline side by side,
// so the ratios are measured in one run on the same, noisy, machine.
BenchmarkSwitcher.FromAssembly(typeof(Kryptos.Benchmarks.ClientSecretBenchmarks).Assembly).Run(args);
