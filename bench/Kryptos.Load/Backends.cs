using System.Globalization;
using System.Text;

namespace Kryptos.Load;

/// <summary>
/// Several database configurations side by side in one run (<c>--backends</c>): every backend's
/// servers start first (each PostgreSQL backend on its own fresh database of one cluster), then each
/// scenario and number of clients runs on every backend in turn, alternating which goes first, so a
/// busy machine slows them alike and the ratios hold. One markdown table at the end.
/// </summary>
internal static class Backends
{
    public static async Task<int> RunAsync(
        IReadOnlyList<Backend> backends, string? connectionString, string dll, IReadOnlyDictionary<string, string> settings,
        IReadOnlyList<int> clientCounts, double seconds, double warmUp, int rounds, IReadOnlyCollection<string> only)
    {
        Console.WriteLine($"Kryptos load: backends {string.Join(", ", backends.Select(b => b.Label))}; {string.Join(" and ", clientCounts)} clients, "
            + $"{seconds} s per scenario after {warmUp} s of warm-up, {rounds} round(s); load average {LoadAverage()}");
        var loadBefore = LoadAverage();
        PostgresCluster? cluster = null;
        var started = new List<ServerProcess>();
        var runs = new List<Run>();
        try
        {
            if (backends.Any(b => b.Postgres))
            {
                cluster = connectionString is null
                    ? await PostgresCluster.StartPrivateAsync(PostgresCluster.DefaultDirectory, PostgresCluster.DefaultPort)
                    : await PostgresCluster.ConnectAsync(connectionString);
                Console.WriteLine($"PostgreSQL: {cluster.Description}{(cluster.HasCpu ? "" : " (its CPU cannot be read from here)")}");
            }

            foreach (var (backend, index) in backends.Select((b, i) => (b, i)))
            {
                var serverSettings = new Dictionary<string, string>(settings, StringComparer.Ordinal);
                string? database = null;
                if (backend.Postgres)
                {
                    database = $"kryptos_bench_{index}_{Guid.NewGuid():N}"[..32];
                    serverSettings["Database:Provider"] = "Postgres";
                    serverSettings["ConnectionStrings:Kryptos"] = await cluster!.CreateDatabaseAsync(database, backend.PgSettings);
                }

                Console.WriteLine($"{backend.Label}: {backend.Instances} server(s) on {(database is null ? "a fresh SQLite file" : $"database {database}")}");
                var servers = new List<ServerProcess>();
                for (var n = 0; n < backend.Instances; n++)
                {
                    // One after the other: the first applies the migrations, the next finds them done.
                    var server = await ServerProcess.StartAsync(dll, serverSettings);
                    started.Add(server);
                    servers.Add(server);
                    Console.WriteLine($"  ready after {server.StartToReady.TotalSeconds:F2} s (pid {server.Id}, {server.Address})");
                }

                var run = new Run(backend.Label, servers) { Postgres = database is null ? null : (cluster!, database) };
                runs.Add(run);
                await run.SettleAsync();
                Console.WriteLine($"  idle: {run.IdleCpu.TotalMilliseconds:F0} ms of CPU per second");
                run.Fixture = await Setup.PrepareAsync(servers[0]);
            }

            string[] order = ["me", "refresh", "code", "flow", "login"];
            for (var round = 1; round <= rounds; round++)
            {
                Console.WriteLine($"round {round} of {rounds}");
                var turn = 0;
                foreach (var name in order.Where(n => only.Count == 0 || only.Contains(n, StringComparer.OrdinalIgnoreCase)))
                {
                    foreach (var clients in clientCounts)
                    {
                        // Alternate which backend goes first, so none always runs on the hotter machine.
                        var ordered = turn++ % 2 == 0 ? runs : Enumerable.Reverse(runs).ToList();
                        foreach (var run in ordered)
                        {
                            Console.Write($"  [{run.Label}, {clients} clients]");
                            var scenarios = new Scenarios(run, run.Fixture!, clients, TimeSpan.FromSeconds(seconds), TimeSpan.FromSeconds(warmUp), tracing: null);
                            run.ByClients[(name, clients)] = name switch
                            {
                                "me" => await scenarios.UsersMeAsync(),
                                "refresh" => await scenarios.RefreshAsync(),
                                "code" => await scenarios.CodeRedemptionAsync(),
                                "flow" => await scenarios.CodeFlowAsync(),
                                _ => await scenarios.LoginAsync(),
                            };
                        }
                    }
                }
            }

            Console.WriteLine();
            Console.WriteLine(Table(runs, order, clientCounts, seconds, cluster?.Description, $"{loadBefore} at the start, {LoadAverage()} at the end"));
            return runs.Any(r => r.ByClients.Values.Any(m => m.Errors > 0)) ? 1 : 0;
        }
        finally
        {
            foreach (var server in started)
            {
                await server.DisposeAsync();
            }

            if (cluster is not null)
            {
                await cluster.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// One row per scenario, number of clients and backend; the ratio is per server CPU-second against
    /// the first backend. PostgreSQL's columns: its CPU per operation, operations per CPU-second of the
    /// servers and PostgreSQL together, transactions (all; those that wrote) and WAL flushes (fsyncs)
    /// per operation, which show group commit: under 1 flush per writing transaction, one fsync made
    /// several commits durable.
    /// </summary>
    private static string Table(List<Run> runs, IEnumerable<string> order, IReadOnlyList<int> clientCounts, double seconds, string? postgres, string load)
    {
        var names = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["me"] = "GET /v1/users/me", ["refresh"] = "Refresh grants", ["code"] = "Code redemptions", ["flow"] = "Code flows", ["login"] = "Logins",
        };
        // The issue's targets per core and the published anchor, beside each scenario's first row.
        var targets = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["me"] = "—", ["refresh"] = "≥ 600 (Keycloak sizing guide: ~120 per vCPU)", ["code"] = "≥ 600", ["flow"] = "≥ 300",
            ["login"] = "≥ 0.9× raw PBKDF2 (`bench/load --only login`)",
        };
        var table = new StringBuilder();
        table.AppendLine(CultureInfo.InvariantCulture, $"| Scenario ({seconds:0} s each) | Clients | Backend | Per wall second | **Per server CPU-second** | ÷ {runs[0].Label} | Target per core (anchor) | PostgreSQL CPU per operation | Per CPU-second, servers + PostgreSQL | Transactions (writing) per operation | WAL flushes per operation |");
        table.AppendLine("|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|");
        foreach (var name in order)
        {
            foreach (var clients in clientCounts)
            {
                if (!runs[0].ByClients.TryGetValue((name, clients), out var first))
                {
                    continue;
                }

                var firstRow = true;
                foreach (var run in runs)
                {
                    var target = firstRow ? targets[name] : "";
                    firstRow = false;
                    var m = run.ByClients[(name, clients)];
                    var pg = m.Postgres is { } c && m.Operations > 0
                        ? $" {c.Cpu.TotalMilliseconds / m.Operations:F2} ms | {m.PerTotalCpuSecond:F1} | {(double)c.Commits / m.Operations:F1} ({(double)c.Writes / m.Operations:F1}) | {(double)c.WalSyncs / m.Operations:F2} |"
                        : " — | — | — | — |";
                    table.AppendLine(CultureInfo.InvariantCulture,
                        $"| {names[name]} | {clients} | {run.Label} | {m.PerSecond:F0}/s | **{m.PerCpuSecond:F1}**{(m.Errors > 0 ? $", {m.Errors} errors" : "")} | {m.PerCpuSecond / first.PerCpuSecond:F2}× | {target} |{pg}");
                }
            }
        }

        table.AppendLine();
        foreach (var run in runs)
        {
            // Start and memory of each backend's first server; targets: ready ≤ 2 s, idle ≤ 150 MB, under load ≤ 350 MB.
            table.AppendLine(CultureInfo.InvariantCulture,
                $"{run.Label}: start to ready {run.Server.StartToReady.TotalSeconds:F2} s (target ≤ 2 s), idle RSS {run.IdleRss:F0} MB (≤ 150 MB), after load {run.Server.MemoryMb("VmRSS"):F0} MB, peak {run.Server.MemoryMb("VmHWM"):F0} MB (≤ 350 MB).");
        }

        table.AppendLine();
        if (postgres is not null)
        {
            table.AppendLine(CultureInfo.InvariantCulture, $"PostgreSQL: {postgres}.");
        }

        table.AppendLine(CultureInfo.InvariantCulture, $"Load average (1, 5, 15 min): {load}; {Environment.ProcessorCount} cores.");
        return table.ToString();
    }

    private static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
}
