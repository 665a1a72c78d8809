using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kryptos.Load;

/// <summary>
/// The real server, started from its Release build as a child process on a fresh SQLite file in a
/// temporary folder, logging at Warning, on a loopback port. Its CPU time and memory are read from
/// <c>/proc/&lt;pid&gt;</c>, so the figures are the server's own and not the load generator's.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    // Settings of the caller's shell must not reach the server.
    private static readonly string[] InheritedPrefixes =
        ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings__", "Hosting__", "Database__", "Accounts__", "Email__", "Authorization__", "Pruning__", "Kestrel__", "RateLimits__", "Logging__", "Usage__"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, string root, Uri address)
    {
        _process = process;
        Root = root;
        Address = address;
    }

    public Uri Address { get; }

    /// <summary>The temporary folder with the database and the mail pickup folder.</summary>
    public string Root { get; }

    public string Outbox => Path.Combine(Root, "outbox");

    public int Id => _process.Id;

    /// <summary>From <see cref="Process.Start()"/> to the first 200 from <c>/health/ready</c>.</summary>
    public TimeSpan StartToReady { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static async Task<ServerProcess> StartAsync(string dll, IReadOnlyDictionary<string, string> settings)
    {
        var root = Directory.CreateTempSubdirectory("kryptos-load-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            // The build's folder: appsettings*.json and the static web assets are found as after a publish.
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var key in start.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(key);
        }

        // Development serves the token endpoint over plain http (loopback only here); everything
        // that matters for speed is configured the same as in production.
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["ConnectionStrings__Kryptos"] = $"Data Source={Path.Combine(root, "kryptos.db")}";
        start.Environment["Email__PickupDirectory"] = Path.Combine(root, "outbox");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "Warning";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start };
        var server = new ServerProcess(process, root, new Uri($"http://127.0.0.1:{port}"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        var clock = Stopwatch.StartNew();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(5) };
        while (clock.Elapsed < TimeSpan.FromSeconds(120))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:{Environment.NewLine}{server.Output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    server.StartToReady = clock.Elapsed;
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(20);
        }

        throw new TimeoutException($"The server was not ready after 120 s:{Environment.NewLine}{server.Output}");
    }

    /// <summary>User plus system CPU time of the server so far (fields 14 and 15 of /proc/&lt;pid&gt;/stat).</summary>
    public TimeSpan CpuTime()
    {
        var stat = File.ReadAllText($"/proc/{Id}/stat");
        // The command name (field 2) may hold spaces; the fields after it are plain numbers.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromSeconds(ticks / 100.0); // USER_HZ is 100 on Linux.
    }

    /// <summary>A line of /proc/&lt;pid&gt;/status in MB (VmRSS now, VmHWM the peak).</summary>
    public double MemoryMb(string field)
    {
        var line = File.ReadLines($"/proc/{Id}/status").First(l => l.StartsWith(field + ":", StringComparison.Ordinal));
        var kb = long.Parse(line[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        return kb / 1024.0;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open stays in the temp folder; it harms nothing.
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
