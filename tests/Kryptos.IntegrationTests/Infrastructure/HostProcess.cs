using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// The built host run as operators run it: <c>dotnet Kryptos.Connect.dll</c> in its own process, with
/// settings only from environment variables, in an empty temporary working directory (its database
/// and outbox go there). For what a WebApplicationFactory cannot show: the exit code and the console.
/// </summary>
public sealed class HostProcess : IAsyncDisposable
{
    // Settings of the test process (or of a developer's shell) must not reach the host.
    private static readonly string[] InheritedPrefixes =
        ["ASPNETCORE_", "DOTNET_ENVIRONMENT", "ConnectionStrings__", "Hosting__", "Database__", "Accounts__", "Email__", "Authorization__", "Pruning__", "Kestrel__"];

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HostRoot? _ownRoot;

    private HostProcess(Process process, HostRoot? ownRoot)
    {
        _process = process;
        _ownRoot = ownRoot;
    }

    public Uri Address { get; private init; } = null!;

    /// <summary>What the process wrote to standard output and standard error so far.</summary>
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

    /// <summary>
    /// Starts the host in <paramref name="environment"/> with <paramref name="settings"/> (configuration
    /// keys such as <c>Hosting:PublicOrigin</c>; a null value leaves the key out, even one the test
    /// database would set), listening on a free loopback port, on a database of its own.
    /// </summary>
    public static HostProcess Start(string environment, IReadOnlyDictionary<string, string?> settings)
    {
        var root = HostRoot.Create();
        return Launch(environment, settings, root.Path, root, []);
    }

    /// <summary>Starts the host as <see cref="Start(string, IReadOnlyDictionary{string, string?})"/> does, on the database of <paramref name="root"/>, which the caller keeps.</summary>
    public static HostProcess Start(string environment, IReadOnlyDictionary<string, string?> settings, HostRoot root)
    {
        ArgumentNullException.ThrowIfNull(root);
        return Launch(environment, settings, root.Path, ownRoot: null, []);
    }

    /// <summary>
    /// Runs a one-shot command of the host (<c>dotnet Kryptos.Connect.dll migrate</c>) on the database
    /// of <paramref name="root"/> and waits for its exit: the exit code (null when it still ran after
    /// <paramref name="timeout"/> and was killed) and everything it wrote.
    /// </summary>
    public static async Task<(int? ExitCode, string Output)> RunAsync(
        string environment, IReadOnlyDictionary<string, string?> settings, HostRoot root, TimeSpan timeout, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(root);
        await using var process = Launch(environment, settings, root.Path, ownRoot: null, arguments);
        var exitCode = await process.WaitForExitAsync(timeout);
        if (exitCode is not null)
        {
            // The asynchronous readers may still hold the last lines: WaitForExit() without a timeout drains them.
            process._process.WaitForExit();
        }

        return (exitCode, process.Output);
    }

    private static HostProcess Launch(string environment, IReadOnlyDictionary<string, string?> settings, string root, HostRoot? ownRoot, string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var port = FreePort();
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Kryptos.Connect.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var key in start.Environment.Keys.Where(k => InheritedPrefixes.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList())
        {
            start.Environment.Remove(key);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        foreach (var (key, value) in TestDatabase.Settings(root))
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        start.Environment["Email__PickupDirectory"] = Path.Combine(root, "outbox");
        foreach (var (key, value) in settings)
        {
            var name = key.Replace(":", "__", StringComparison.Ordinal);
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = start };
        var host = new HostProcess(process, ownRoot) { Address = new Uri($"http://127.0.0.1:{port}") };
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for the process to exit and returns its exit code; null when it still runs after <paramref name="timeout"/>.</summary>
    public async Task<int?> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Polls <c>/health/live</c> until it answers 200; false when the process exits first or time runs out.</summary>
    public async Task<bool> WaitUntilLiveAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until && !_process.HasExited)
        {
            try
            {
                using var response = await http.GetAsync("/health/live");
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        return false;
    }

    /// <summary>
    /// Ends the process as a power cut or <c>kill -9</c> would: SIGKILL (what <see cref="Process.Kill(bool)"/>
    /// sends on Linux), so no shutdown code runs: no hosted service stops, no buffer is flushed, no
    /// connection is closed cleanly. Returns once the process is gone and its output is read.
    /// </summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        // Drains the asynchronous readers (WaitForExit() without a timeout waits for them).
        _process.WaitForExit();
    }

    /// <summary>
    /// A browser-like client of the process behind its TLS proxy (<see cref="ForwardingProxyHandler"/>):
    /// base address https://localhost, cookies kept, redirects not followed. Start the process with
    /// <c>Hosting:PublicOrigin=https://localhost</c> and <c>Hosting:TrustedProxies:0=127.0.0.1</c>.
    /// </summary>
    /// <param name="cookieHeader">Cookies the browser already holds (a Cookie header), such as a session from before a restart.</param>
    public PortalClient NewBrowser(string? cookieHeader = null) => new(NewHttpClient(handleCookies: true, cookieHeader), () => LoggedErrors);

    /// <summary>A client's server (no cookies, no redirects) calling the process behind its TLS proxy, as <see cref="NewBrowser"/>.</summary>
    public HttpClient NewBackchannel() => NewHttpClient(handleCookies: false);

    /// <summary>The lines the process logged at Error or Critical (JSON console), to explain a failing test.</summary>
    public string LoggedErrors => string.Join(Environment.NewLine, Output.Split('\n')
        .Where(l => l.Contains("\"LogLevel\":\"Error\"", StringComparison.Ordinal) || l.Contains("\"LogLevel\":\"Critical\"", StringComparison.Ordinal)));

    private HttpClient NewHttpClient(bool handleCookies, string? cookieHeader = null) => new(new ForwardingProxyHandler(Address, handleCookies, cookieHeader))
    {
        BaseAddress = new Uri("https://localhost"),
        Timeout = TimeSpan.FromSeconds(60),
    };

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (_ownRoot is not null)
        {
            await _ownRoot.DisposeAsync();
        }
    }

    /// <summary>A loopback port that was free a moment ago (the OS hands out a free one for port 0).</summary>
    public static int FreePort()
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
