using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Kryptos.Connect.Accounts;
using Kryptos.Load;

// Load harness for the token endpoint and its neighbours (see bench/README.md, "Token endpoint").
// Usage: bench/load [--clients 8] [--seconds 10] [--warmup 3] [--only refresh,code,flow,login,me]
//                   [--set Key:Path=value]... [--trace refresh --trace-tool path/dotnet-trace --trace-out x.nettrace]
var clients = 8;
var seconds = 10.0;
var warmUp = 3.0;
string[] only = [];
var settings = new Dictionary<string, string>(StringComparer.Ordinal)
{
    // The per-client and per-IP ceilings would stop a load test long before the CPU does.
    ["RateLimits:TokenRequestsPerMinute"] = "10000000",
    ["RateLimits:ApiRequestsPerMinute"] = "10000000",
    ["Accounts:RateLimits:LoginAttemptsPerIp"] = "1000000",
};
string? traceScenario = null, traceTool = null, traceOut = null;
for (var i = 0; i < args.Length; i++)
{
    var value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
    switch (args[i])
    {
        case "--clients": clients = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--seconds": seconds = double.Parse(value, CultureInfo.InvariantCulture); break;
        case "--warmup": warmUp = double.Parse(value, CultureInfo.InvariantCulture); break;
        case "--only": only = value.Split(',', StringSplitOptions.RemoveEmptyEntries); break;
        case "--set": settings[value[..value.IndexOf('=', StringComparison.Ordinal)]] = value[(value.IndexOf('=', StringComparison.Ordinal) + 1)..]; break;
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

Console.WriteLine($"Kryptos load: {clients} clients, {seconds} s per scenario after {warmUp} s of warm-up; server {dll}");
await using var server = await ServerProcess.StartAsync(dll, settings);
Console.WriteLine($"  ready after {server.StartToReady.TotalSeconds:F2} s (pid {server.Id}, {server.Address})");
await Task.Delay(TimeSpan.FromSeconds(2));
var idleRss = server.MemoryMb("VmRSS");

var fixture = await Setup.PrepareAsync(server);
var scenarios = new Scenarios(server, fixture, clients, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmUp), tracing);
bool Runs(string name) => only.Length == 0 || only.Contains(name, StringComparer.OrdinalIgnoreCase);
var results = new Dictionary<string, Measurement>(StringComparer.Ordinal);
if (Runs("me"))
{
    results["me"] = await scenarios.UsersMeAsync();
}

if (Runs("refresh"))
{
    results["refresh"] = await scenarios.RefreshAsync();
}

if (Runs("code"))
{
    results["code"] = await scenarios.CodeRedemptionAsync();
}

if (Runs("flow"))
{
    results["flow"] = await scenarios.CodeFlowAsync();
}

if (Runs("login"))
{
    results["login"] = await scenarios.LoginAsync();
}

var loadRss = server.MemoryMb("VmRSS");
var peakRss = server.MemoryMb("VmHWM");
var pbkdf2 = results.ContainsKey("login") ? RawPbkdf2PerCpuSecond(iterations, clients, TimeSpan.FromSeconds(Math.Min(seconds, 5))) : double.NaN;

// The table: one row per figure, with its target, the published anchor and whether it is met.
var table = new StringBuilder();
table.AppendLine(CultureInfo.InvariantCulture, $"| Figure ({clients} clients, {seconds:0} s each) | per second (wall) | per server CPU-second | Target (per core) | Anchor | Met |");
table.AppendLine("|---|---:|---:|---|---|---|");
void Row(string key, string label, double target, string targetText, string anchor)
{
    if (results.TryGetValue(key, out var m))
    {
        var met = m.Errors > 0 ? "no (errors)" : double.IsNaN(target) ? "—" : m.PerCpuSecond >= target ? "yes" : "no";
        table.AppendLine(CultureInfo.InvariantCulture, $"| {label} | {m.PerSecond:F0} | **{m.PerCpuSecond:F0}** | {targetText} | {anchor} | {met}{(m.Errors > 0 ? $" ({m.Errors} errors)" : "")} |");
    }
}

Row("refresh", "Refresh-token grants (rotation)", 600, "≥ 600 (stretch 1,200)", "Keycloak sizing guide: ~120 per vCPU");
Row("code", "Authorization-code redemptions", 600, "≥ 600", "");
Row("flow", "Browserless code flows (session, remembered consent)", 300, "≥ 300", "");
if (results.TryGetValue("login", out var login))
{
    var ratio = login.PerCpuSecond / pbkdf2;
    table.AppendLine(CultureInfo.InvariantCulture, $"| Password logins (form + antiforgery) | {login.PerSecond:F0} | **{login.PerCpuSecond:F1}** = {ratio:F2}× raw PBKDF2 ({pbkdf2:F1}/CPU-s, SHA-512, {iterations:N0} iterations) | ≥ 0.9× raw PBKDF2 | | {(login.Errors > 0 ? "no (errors)" : ratio >= 0.9 ? "yes" : "no")} |");
}

Row("me", "GET /v1/users/me (control)", double.NaN, "—", "");
table.AppendLine(CultureInfo.InvariantCulture, $"| Start to ready (Release) | {server.StartToReady.TotalSeconds:F2} s | | ≤ 2 s | | {(server.StartToReady.TotalSeconds <= 2 ? "yes" : "no")} |");
table.AppendLine(CultureInfo.InvariantCulture, $"| Idle RSS | {idleRss:F0} MB | | ≤ 150 MB | | {(idleRss <= 150 ? "yes" : "no")} |");
table.AppendLine(CultureInfo.InvariantCulture, $"| RSS after load (VmRSS / VmHWM) | {loadRss:F0} / {peakRss:F0} MB | | ≤ 350 MB | | {(peakRss <= 350 ? "yes" : "no")} |");
Console.WriteLine();
Console.WriteLine(table.ToString());
return results.Values.Any(m => m.Errors > 0) ? 1 : 0;

// The raw rate of the configured password hash in this process, per CPU-second: PBKDF2-HMAC-SHA512
// with a 128-bit salt and a 256-bit subkey, as ASP.NET Core Identity's V3 format (the app's
// PasswordHasherOptions: IdentityV3, Accounts:PasswordHashIterations).
static double RawPbkdf2PerCpuSecond(int iterations, int threads, TimeSpan length)
{
    var password = Encoding.UTF8.GetBytes("correct horse battery staple");
    var salt = RandomNumberGenerator.GetBytes(16);
    long count = 0;
    var self = Process.GetCurrentProcess();
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
