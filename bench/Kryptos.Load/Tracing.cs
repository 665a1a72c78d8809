using System.Diagnostics;
using System.Globalization;

namespace Kryptos.Load;

/// <summary>
/// Runs <c>dotnet-trace collect</c> (profile <c>dotnet-sampled-thread-time</c>) against the server
/// during the measured part of one scenario, so the trace shows exactly that load.
/// </summary>
internal sealed class Tracing(string tool, string scenario, string output)
{
    public Trace? Start(string name, int pid, TimeSpan duration)
    {
        if (!name.Contains(scenario, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var start = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[]
        {
            "collect", "-p", pid.ToString(CultureInfo.InvariantCulture),
            "--duration", duration.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture),
            "--profile", "dotnet-sampled-thread-time", "-o", output,
        })
        {
            start.ArgumentList.Add(argument);
        }

        Console.WriteLine($"  tracing {name} into {output}");
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{tool} did not start.");
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        // The session needs a moment to attach before the load starts.
        Thread.Sleep(1500);
        return new Trace(process);
    }

    internal sealed class Trace(Process process) : IDisposable
    {
        public void Wait() => process.WaitForExit(TimeSpan.FromSeconds(60));

        public void Dispose()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
        }
    }
}
