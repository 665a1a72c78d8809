namespace Kryptos.Load;

/// <summary>
/// One server (or several on one database, <c>--backends postgres:2</c>) under load: its scenarios,
/// what they measured and its memory. Memory and start-up figures are the first server's.
/// </summary>
internal sealed class Run(string label, IReadOnlyList<ServerProcess> servers)
{
    public Run(string label, ServerProcess server)
        : this(label, [server])
    {
    }

    public string Label { get; } = label;

    public IReadOnlyList<ServerProcess> Servers { get; } = servers;

    public ServerProcess Server => Servers[0];

    /// <summary>The PostgreSQL cluster and database of a PostgreSQL backend.</summary>
    public (PostgresCluster Cluster, string Database)? Postgres { get; init; }

    /// <summary>Results by scenario and number of clients (<c>--backends</c>).</summary>
    public Dictionary<(string Scenario, int Clients), Measurement> ByClients { get; } = [];

    public Scenarios? Scenarios { get; set; }

    /// <summary>The user, client and session prepared once per run (on the first server).</summary>
    public Fixture? Fixture { get; set; }

    public Dictionary<string, Measurement> Results { get; } = new(StringComparer.Ordinal);

    public TimeSpan IdleCpu { get; private set; }

    public double IdleRss { get; private set; }

    public double LoadRss { get; set; }

    public double PeakRss { get; set; }

    /// <summary>
    /// Start-up work goes on after ready (tiered JIT, the demo seed, the first key ring and pruner
    /// runs): waits until the server uses under 5% of a core for a second (at most 60 s), then reads
    /// the idle RSS.
    /// </summary>
    public async Task SettleAsync()
    {
        for (var waited = 0; waited < 60; waited++)
        {
            var before = CpuTime();
            await Task.Delay(TimeSpan.FromSeconds(1));
            IdleCpu = CpuTime() - before;
            if (IdleCpu < TimeSpan.FromMilliseconds(50))
            {
                break;
            }
        }

        IdleRss = Server.MemoryMb("VmRSS");
    }

    /// <summary>User plus system CPU time of all the servers so far.</summary>
    public TimeSpan CpuTime() => Servers.Aggregate(TimeSpan.Zero, (sum, server) => sum + server.CpuTime());
}
