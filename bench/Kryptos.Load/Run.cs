namespace Kryptos.Load;

/// <summary>One server under load: its scenarios, what they measured and its memory.</summary>
internal sealed class Run(string label, ServerProcess server)
{
    public string Label { get; } = label;

    public ServerProcess Server { get; } = server;

    public Scenarios? Scenarios { get; set; }

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
            var before = Server.CpuTime();
            await Task.Delay(TimeSpan.FromSeconds(1));
            IdleCpu = Server.CpuTime() - before;
            if (IdleCpu < TimeSpan.FromMilliseconds(50))
            {
                break;
            }
        }

        IdleRss = Server.MemoryMb("VmRSS");
    }
}
