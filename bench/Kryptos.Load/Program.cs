using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kryptos.Connect.Accounts;
using Kryptos.Load;

// Load harness for the token endpoint and its neighbours (see bench/README.md, "Token endpoint").
// Usage: bench/load [--clients 8] [--seconds 10] [--warmup 15] [--rounds 1] [--only me,refresh,code,flow,login]
//                   [--compare <other build's Kryptos.Connect.dll>] [--set Key:Path=value]... [--server-log file]
//                   [--trace refresh --trace-tool path/dotnet-trace --trace-out x.nettrace]
//        PostgreSQL (bench/README.md, "PostgreSQL"): [--backends sqlite,postgres,postgres:2,postgres+commit_delay=200,...]
//                   [--postgres ["<connection string>"]] [--instances 2] [--pg-set name=value]... [--clients 8,32]
// A mistyped option or backend is a message, not a stack trace (finally blocks, which stop servers
// and the bench cluster, have run by the time an exception is unhandled).
AppDomain.CurrentDomain.UnhandledException += (_, e) =>
{
    if (e.ExceptionObject is ArgumentException or FormatException)
    {
        Console.Error.WriteLine($"error: {((Exception)e.ExceptionObject).Message}");
        Environment.Exit(2);
    }
};

var clients = 8;
int[] clientCounts = [8];
string[]? backendSpecs = null;
string? postgresConnection = null;
var postgres = false;
var instances = 1;
var pgSettings = new List<string>();
var seconds = 10.0;
var warmUp = 15.0;
var rounds = 1;
string[] only = [];
var settings = new Dictionary<string, string>(StringComparer.Ordinal)
{
    // The per-client and per-IP ceilings would stop a load test long before the CPU does.
    ["RateLimits:TokenRequestsPerMinute"] = "10000000",
    ["RateLimits:ApiRequestsPerMinute"] = "10000000",
    ["Accounts:RateLimits:LoginAttemptsPerIp"] = "1000000",
};
string? traceScenario = null, traceTool = null, traceOut = null, serverLog = null, compare = null;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] == "--postgres")
    {
        // The connection string is optional: without it the harness starts its own durable cluster.
        postgres = true;
        if (i + 1 < args.Length && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            postgresConnection = args[++i];
        }

        continue;
    }

    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--clients":
            clientCounts = [.. value.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture))];
            clients = clientCounts[0];
            break;
        case "--backends": backendSpecs = value.Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--instances": instances = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--pg-set": pgSettings.Add(value); break;
        case "--seconds": seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
        case "--warmup": warmUp = double.Parse(value, CultureInfo.InvariantCulture); break;
        case "--rounds": rounds = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--only": only = value.Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--compare": compare = Path.GetFullPath(value); break;
        case "--set": settings[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..]; break;
        case "--server-log": serverLog = value; break;
        case "--trace": traceScenario = value; break;
        case "--trace-tool": traceTool = value; break;
        case "--trace-out": traceOut = value; break;
        default: throw new ArgumentException($"Unknown argument {args[i]}.");
    }

    i++;
}

var root = new DirectoryInfo(AppContext.BaseDirectory);
while (root is not null && !File.Exists(Path.Combine(root.FullName, "Kryptos.slnx")))
{
    root = root.Parent;
}

var dll = Path.Combine(root?.FullName ?? throw new InvalidOperationException("Run from the repository (Kryptos.slnx not found)."),
    "src", "Kryptos.Connect", "bin", "Release", "net10.0", "Kryptos.Connect.dll");
var tracing = traceScenario is null ? null : new Tracing(
    traceTool ?? "dotnet-trace", traceScenario, traceOut ?? Path.Combine(Directory.GetCurrentDirectory(), $"{traceScenario}.nettrace"));
var iterations = settings.TryGetValue("Accounts:PasswordHashIterations", out var configured)
    ? int.Parse(configured, CultureInfo.InvariantCulture)
    : new AccountOptions().PasswordHashIterations;

// With --compare, two builds run side by side on the same machine at the same time, and every
// scenario alternates between them, so a busy machine slows both alike and their ratio holds.
if (backendSpecs is not null || postgres || instances != 1 || pgSettings.Count > 0 || clientCounts.Length > 1)
{
    if (compare is not null || tracing is not null)
    {
        throw new ArgumentException("--compare and --trace measure one SQLite build; they do not combine with --backends, --postgres, --instances, --pg-set or several --clients.");
    }

    if (backendSpecs is not null && (instances != 1 || pgSettings.Count > 0))
    {
        throw new ArgumentException("With --backends, write instances and settings in each backend: postgres:2, postgres+commit_delay=200.");
    }

    // Without --backends, the options describe one backend: postgres:2+commit_delay=200 from
    // --postgres --instances 2 --pg-set commit_delay=200.
    backendSpecs ??= [postgres ? $"postgres:{instances}{string.Concat(pgSettings.Select(p => "+" + p))}" : instances == 1 && pgSettings.Count == 0 ? "sqlite"
        : throw new ArgumentException("--instances and --pg-set need --postgres (SQLite runs one instance).")];
    var backends = backendSpecs.Select(Backend.Parse).ToList();
    return await Backends.RunAsync(backends, postgresConnection, dll, settings, clientCounts, seconds, warmUp, rounds, only);
}

var builds = compare is null ? new List<(string Label, string Dll)> { ("this build", dll) } : [("before", compare), ("after", dll)];
Console.WriteLine($"Kryptos load: {clients} clients, {seconds} s per scenario after {warmUp} s of warm-up, {rounds} round(s)");
var runs = new List<Run>();
try
{
    foreach (var (label, path) in builds)
    {
        Console.WriteLine($"{label}: {path}");
        var server = await ServerProcess.StartAsync(path, settings);
        var run = new Run(label, server);
        runs.Add(run);
        Console.WriteLine($"  ready after {server.StartToReady.TotalSeconds:F2} s (pid {server.Id}, {server.Address})");
        await run.SettleAsync();
        Console.WriteLine($"  idle: {run.IdleCpu.TotalMilliseconds:F0} ms of CPU per second, RSS {run.IdleRss:F0} MB");
        run.Scenarios = new Scenarios(run, await Setup.PrepareAsync(server), clients, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmUp), tracing);
    }

    string[] order = ["me", "refresh", "code", "flow", "login"];
    for (var round = 1; round <= rounds; round++)
    {
        Console.WriteLine($"round {round} of {rounds}");
        foreach (var name in order.Where(n => only.Length == 0 || only.Contains(n, StringComparer.OrdinalIgnoreCase)))
        {
            // Alternate which build goes first, so neither always runs on the hotter machine.
            var turn = (round % 2 == 0) ? Enumerable.Reverse(runs) : runs;
            foreach (var run in turn)
            {
                Console.Write($"  [{run.Label}]");
                run.Results[name] = name switch
                {
                    "me" => await run.Scenarios!.UsersMeAsync(),
                    "refresh" => await run.Scenarios!.RefreshAsync(),
                    "code" => await run.Scenarios!.CodeRedemptionAsync(),
                    "flow" => await run.Scenarios!.CodeFlowAsync(),
                    _ => await run.Scenarios!.LoginAsync(),
                };
            }
        }
    }

    foreach (var run in runs)
    {
        run.LoadRss = run.Server.MemoryMb("VmRSS");
        run.PeakRss = run.Server.MemoryMb("VmHWM");
        if (serverLog is not null)
        {
            await File.WriteAllTextAsync(runs.Count > 1 ? $"{serverLog}.{run.Label}" : serverLog, run.Server.Output);
        }
    }

    var pbkdf2 = runs[^1].Results.ContainsKey("login") ? RawPbkdf2PerCpuSecond(iterations, clients, TimeSpan.FromSeconds(Math.Min(seconds, 5))) : double.NaN;
    Console.WriteLine();
    Console.WriteLine(Report.Table(runs, clients, seconds, pbkdf2, iterations));
    return runs.Any(r => r.Results.Values.Any(m => m.Errors > 0)) ? 1 : 0;
}
finally
{
    foreach (var run in runs)
    {
        await run.Server.DisposeAsync();
    }
}

// The raw rate of the configured password hash in this process, per CPU-second: PBKDF2-HMAC-SHA512
// with a 128-bit salt and a 256-bit subkey, as ASP.NET Core Identity's V3 format (the app's
// PasswordHasherOptions: IdentityV3, Accounts:PasswordHashIterations).
static double RawPbkdf2PerCpuSecond(int iterations, int threads, TimeSpan length)
{
    var password = Encoding.UTF8.GetBytes("correct horse battery staple");
    var salt = RandomNumberGenerator.GetBytes(16);
    long count = 0;
    using var self = Process.GetCurrentProcess();
    var cpuBefore = self.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    Parallel.For(0, threads, _ =>
    {
        while (clock.Elapsed < length)
        {
            Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA512, 32);
            Interlocked.Increment(ref count);
        }
    });
    self.Refresh();
    return count / (self.TotalProcessorTime - cpuBefore).TotalSeconds;
}
