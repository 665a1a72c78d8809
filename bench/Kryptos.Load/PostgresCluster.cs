using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace Kryptos.Load;

/// <summary>
/// The PostgreSQL server the benchmark runs on: a private, durable cluster that the harness starts
/// (<c>initdb</c> once in /tmp/kryptos-bench-pg, port 55433, fsync, synchronous_commit and
/// full_page_writes on, as in production; the tests' cluster skips fsync and would flatter every
/// commit) and stops at the end, or an existing server given by a connection string. Each backend
/// gets a fresh database, dropped at the end; its PostgreSQL settings are set on that database
/// (<c>ALTER DATABASE … SET</c>), so configurations run side by side on one cluster. The cluster's
/// CPU time is read from /proc: the postmaster, its children and its reaped children.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    public const string DefaultDirectory = "/tmp/kryptos-bench-pg";
    public const int DefaultPort = 55433;

    private readonly string? _bin;
    private readonly string? _dataDirectory;
    private readonly List<string> _databases = [];
    private int? _postmaster;

    private PostgresCluster(string connectionString, string? bin, string? dataDirectory)
    {
        ConnectionString = connectionString;
        _bin = bin;
        _dataDirectory = dataDirectory;
    }

    /// <summary>The server's connection string, without a database.</summary>
    public string ConnectionString { get; }

    /// <summary>Version and the settings that decide what a commit costs, for the report's header.</summary>
    public string Description { get; private set; } = "";

    /// <summary>Whether the cluster's CPU time can be read (a local server whose data directory is readable).</summary>
    public bool HasCpu => _postmaster is not null;

    /// <summary>Starts the private durable cluster (or finds it running) and connects.</summary>
    public static async Task<PostgresCluster> StartPrivateAsync(string directory, int port)
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin"))
                .Where(Directory.Exists).OrderBy(d => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : new Version(0, 0)).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL is not installed (scripts/postgres start installs it as root), or pass --postgres \"<connection string>\".");
        }

        var data = Path.Combine(directory, "data");
        if (IsRoot)
        {
            await RunAsync("install", "-d", "-o", "postgres", "-g", "postgres", directory);
        }
        else
        {
            Directory.CreateDirectory(directory);
        }

        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            await AsOwnerAsync(Path.Combine(bin, "initdb"), "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8");
        }

        var cluster = new PostgresCluster($"Host=127.0.0.1;Port={port};Username=postgres;Timeout=30;Command Timeout=120", bin, data);
        if (File.Exists(Path.Combine(data, "postmaster.pid")))
        {
            throw new InvalidOperationException($"A PostgreSQL server already runs in {data} (or crashed there): stop it with "
                + $"'{(IsRoot ? "runuser -u postgres -- " : "")}{bin}/pg_ctl -D {data} -m fast stop' and run again.");
        }

        Console.WriteLine($"+ pg_ctl start (durable bench cluster in {directory}, port {port})");
        await AsOwnerAsync(Path.Combine(bin, "pg_ctl"), "-D", data, "-l", Path.Combine(directory, "server.log"), "-w", "-o",
            $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=400 -c fsync=on -c synchronous_commit=on -c full_page_writes=on",
            "start");
        await cluster.DescribeAsync();
        return cluster;
    }

    /// <summary>An existing server: its CPU is reported when it runs on this machine and its data directory is readable.</summary>
    public static async Task<PostgresCluster> ConnectAsync(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString) { Database = null };
        var cluster = new PostgresCluster(builder.ConnectionString, null, null);
        await cluster.DescribeAsync();
        return cluster;
    }

    /// <summary>A fresh database for one backend, with the backend's settings; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, IReadOnlyDictionary<string, string> settings)
    {
        await using var connection = await OpenAsync();
        foreach (var key in settings.Keys)
        {
            // Only settings a session can take (user or superuser context) can differ per database;
            // the others would change every configuration of the run at once.
            var context = await ScalarAsync(connection, "SELECT context FROM pg_settings WHERE name = @p", key) as string
                ?? throw new ArgumentException($"PostgreSQL has no setting '{key}'.");
            if (context is not ("user" or "superuser"))
            {
                throw new ArgumentException($"'{key}' is a {context} setting: it cannot differ per database. Start a server with it and pass --postgres \"<connection string>\".");
            }
        }

        await ExecuteAsync(connection, $"CREATE DATABASE \"{name}\"");
        _databases.Add(name);
        foreach (var (key, value) in settings)
        {
            // Checked by PostgreSQL: a bad value is an error here, before any server starts.
            try
            {
                await ExecuteAsync(connection, $"ALTER DATABASE \"{name}\" SET {key} = '{value.Replace("'", "''", StringComparison.Ordinal)}'");
            }
            catch (PostgresException e)
            {
                throw new ArgumentException($"PostgreSQL refused {key}={value}: {e.MessageText}", e);
            }
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { Database = name }.ConnectionString;
    }

    /// <summary>The cluster's CPU time so far: the postmaster and every process it started, live or reaped.</summary>
    public TimeSpan CpuTime()
    {
        if (_postmaster is not { } postmaster)
        {
            return TimeSpan.Zero;
        }

        // Fields 14-17 of the postmaster's stat: its own utime and stime, then cutime and cstime of its
        // children that have exited; live children are read one by one.
        var ticks = Ticks(postmaster, withReaped: true);
        foreach (var task in Directory.EnumerateDirectories($"/proc/{postmaster}/task"))
        {
            foreach (var child in File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                ticks += Ticks(int.Parse(child, CultureInfo.InvariantCulture), withReaped: false);
            }
        }

        return TimeSpan.FromSeconds(ticks / 100.0);
    }

    /// <summary>
    /// Transactions committed in the database (every statement outside a transaction counts, reads
    /// too: pg_stat_database), transaction ids assigned in the cluster (only writing transactions get
    /// one; read without assigning one) and WAL flushes to disk (pg_stat_wal) so far.
    /// </summary>
    public async Task<(long Commits, long Writes, long WalSyncs)> StatsAsync(string database)
    {
        await using var connection = await OpenAsync();
        var commits = Convert.ToInt64(await ScalarAsync(connection, "SELECT xact_commit FROM pg_stat_database WHERE datname = @p", database), CultureInfo.InvariantCulture);
        var writes = Convert.ToInt64(await ScalarAsync(connection, "SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint", null), CultureInfo.InvariantCulture);
        var syncs = Convert.ToInt64(await ScalarAsync(connection, "SELECT wal_sync FROM pg_stat_wal", null), CultureInfo.InvariantCulture);
        return (commits, writes, syncs);
    }

    public async ValueTask DisposeAsync()
    {
        if (_databases.Count > 0)
        {
            try
            {
                await using var connection = await OpenAsync();
                foreach (var name in _databases)
                {
                    await ExecuteAsync(connection, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                }
            }
            catch (NpgsqlException e)
            {
                Console.Error.WriteLine($"The bench databases were not dropped: {e.Message}");
            }
        }

        NpgsqlConnection.ClearAllPools();
        if (_bin is not null && _dataDirectory is not null)
        {
            Console.WriteLine("+ pg_ctl stop (bench cluster)");
            await AsOwnerAsync(Path.Combine(_bin, "pg_ctl"), "-D", _dataDirectory, "-m", "fast", "stop");
        }
    }

    private static bool IsRoot => Environment.UserName == "root";

    private async Task DescribeAsync()
    {
        await using var connection = await OpenAsync();
        var values = new List<string>();
        foreach (var name in new[] { "server_version", "fsync", "synchronous_commit", "full_page_writes", "commit_delay", "commit_siblings", "shared_buffers", "wal_sync_method" })
        {
            values.Add($"{name}={await ScalarAsync(connection, $"SHOW {name}", null)}");
        }

        Description = string.Join(", ", values);
        var data = _dataDirectory;
        try
        {
            data ??= await ScalarAsync(connection, "SHOW data_directory", null) as string;
            var pidFile = data is null ? null : Path.Combine(data, "postmaster.pid");
            if (pidFile is not null && File.Exists(pidFile))
            {
                _postmaster = int.Parse(File.ReadLines(pidFile).First(), CultureInfo.InvariantCulture);
            }
        }
        catch (Exception e) when (e is PostgresException or IOException or UnauthorizedAccessException)
        {
            // Not a superuser, or another machine: the report shows no PostgreSQL CPU.
        }
    }

    private async Task<NpgsqlConnection> OpenAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Database = "postgres", Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, string? parameter)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        if (parameter is not null)
        {
            command.Parameters.AddWithValue("p", parameter);
        }

        return await command.ExecuteScalarAsync();
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
#pragma warning disable CA2100 // Names made by the harness; values quoted; setting names checked against pg_settings.
        await using var command = new NpgsqlCommand(sql, connection);
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync();
    }

    private static long Ticks(int pid, bool withReaped)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return withReaped ? ticks + long.Parse(fields[13], CultureInfo.InvariantCulture) + long.Parse(fields[14], CultureInfo.InvariantCulture) : ticks;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0; // Exited between the listing and the read: its time is in the postmaster's cutime now.
        }
    }

    private static Task AsOwnerAsync(string program, params string[] arguments) =>
        IsRoot ? RunAsync("runuser", ["-u", "postgres", "--", program, .. arguments]) : RunAsync(program, arguments);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await output}{await error}");
        }
    }
}
