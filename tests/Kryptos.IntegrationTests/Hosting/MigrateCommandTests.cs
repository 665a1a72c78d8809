using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// The upgrade step of a deployment (docs/deployment.md), run as an operator runs it:
/// <c>dotnet Kryptos.Connect.dll migrate</c> in its own process, Production settings from environment
/// variables, on SQLite or (with KRYPTOS_TEST_POSTGRES) PostgreSQL. It applies what is pending and
/// exits 0; instances started with <c>Database:MigrateOnStart=false</c> then run on that database,
/// and refuse, in one line, a database the step has not upgraded.
/// </summary>
public sealed partial class MigrateCommandTests
{
    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(90);

    /// <summary>What production requires (ProductionStartTests), plus the given settings.</summary>
    private static Dictionary<string, string?> ProductionSettings(params (string Key, string? Value)[] more)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hosting:PublicOrigin"] = "https://connect.example.com",
            ["Hosting:DataProtection:CertificatePath"] = TestCertificate.Path,
            ["Hosting:DataProtection:CertificatePassword"] = TestCertificate.Password,
        };
        foreach (var (key, value) in more)
        {
            settings[key] = value;
        }

        return settings;
    }

    [Fact]
    public async Task Migrate_AppliesEveryMigrationOnce_ThenAnInstanceWithoutMigrateOnStartIsReady()
    {
        await using var root = HostRoot.Create();

        var (firstExit, firstOutput) = await HostProcess.RunAsync("Production", ProductionSettings(), root, ExitTimeout, "migrate");

        Assert.True(firstExit == 0, $"migrate exited with {Describe(firstExit)}:{Environment.NewLine}{firstOutput}");
        var applied = AppliedLine().Match(firstOutput);
        Assert.True(applied.Success, $"No 'Applied N migration(s)' line:{Environment.NewLine}{firstOutput}");
        var count = int.Parse(applied.Groups["count"].Value, CultureInfo.InvariantCulture);
        Assert.True(count > 0);
        // The line's count is what the database now records, one history row per migration.
        Assert.Equal(count, await TestDatabase.CountAsync(root.Path, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));
        Assert.Contains(TestDatabase.IsPostgres ? "Npgsql" : "Sqlite", applied.Value, StringComparison.Ordinal);

        var (secondExit, secondOutput) = await HostProcess.RunAsync("Production", ProductionSettings(), root, ExitTimeout, "migrate");

        Assert.True(secondExit == 0, $"The second migrate exited with {Describe(secondExit)}:{Environment.NewLine}{secondOutput}");
        Assert.Contains("database is up to date.", secondOutput, StringComparison.Ordinal);
        Assert.DoesNotContain("Applied ", secondOutput, StringComparison.Ordinal);
        Assert.Equal(count, await TestDatabase.CountAsync(root.Path, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\""));

        await using var instance = HostProcess.Start("Production", ProductionSettings(("Database:MigrateOnStart", "false")), root);

        Assert.True(await instance.WaitUntilLiveAsync(ExitTimeout), $"The instance did not start:{Environment.NewLine}{instance.Output}");
        using var http = new HttpClient { BaseAddress = instance.Address, Timeout = TimeSpan.FromSeconds(30) };
        using var ready = await http.GetAsync(new Uri("/health/ready", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        Assert.DoesNotContain("Applying", instance.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInstanceWithoutMigrateOnStart_OnADatabaseNotMigrated_RefusesToStart_SayingWhatToRun()
    {
        await using var root = HostRoot.Create();

        await using var instance = HostProcess.Start("Production", ProductionSettings(("Database:MigrateOnStart", "false")), root);
        var exitCode = await instance.WaitForExitAsync(ExitTimeout);

        Assert.True(exitCode == 1, $"Expected exit code 1 but got {Describe(exitCode)}:{Environment.NewLine}{instance.Output}");
        Assert.Contains("Kryptos Connect cannot start: the database lacks ", instance.Output, StringComparison.Ordinal);
        Assert.Contains("Database:MigrateOnStart is false. Run the upgrade step first: dotnet Kryptos.Connect.dll migrate", instance.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", instance.Output, StringComparison.Ordinal);
        // Our line is the only one: no Error log of EF Core before it (on PostgreSQL, asking for the
        // pending migrations of a database without the history table made EF Core log the failed query).
        AssertOnlyLine(instance.Output, "Kryptos Connect cannot start: the database lacks ");
        // It stopped before touching the schema: the database is still without migrations.
        Assert.Equal(0, await HistoryRowsOrZeroAsync(root));
    }

    [Theory]
    [InlineData("")]            // an instance
    [InlineData("migrate")]     // the upgrade step
    public async Task Postgres_WithoutAConnectionString_StopsTheStart_NamingTheSetting(string command)
    {
        await using var root = HostRoot.Create();
        var settings = ProductionSettings(("Database:Provider", "Postgres"), ("ConnectionStrings:Kryptos", null));

        var (exitCode, output) = await HostProcess.RunAsync("Production", settings, root, ExitTimeout, command.Length == 0 ? [] : [command]);

        Assert.True(exitCode == 1, $"Expected exit code 1 but got {Describe(exitCode)}:{Environment.NewLine}{output}");
        Assert.Contains("Kryptos Connect cannot start: ConnectionStrings:Kryptos is required when Database:Provider is 'Postgres'", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_AgainstAnUnreachableServer_SaysSoInOneLine_WithoutThePassword()
    {
        await using var root = HostRoot.Create();
        const string password = "Tr0ub4dor-never-echoed";
        // A port that was free a moment ago: nothing listens there, so the connection is refused.
        var settings = ProductionSettings(
            ("Database:Provider", "Postgres"),
            ("ConnectionStrings:Kryptos", $"Host=127.0.0.1;Port={HostProcess.FreePort()};Username=postgres;Password={password};Timeout=3"));

        var (exitCode, output) = await HostProcess.RunAsync("Production", settings, root, ExitTimeout, "migrate");

        Assert.True(exitCode == 1, $"Expected exit code 1 but got {Describe(exitCode)}:{Environment.NewLine}{output}");
        AssertOnlyLine(output, "The migrations were not applied: the Npgsql.EntityFrameworkCore.PostgreSQL database cannot be used (");
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
    }

    /// <summary>
    /// Our line, starting with <paramref name="start"/>, is the only one at or above Warning: no Error log
    /// (JSON console, or "fail:" in the simple one) before or after it, no stack trace. Information lines
    /// are let through: these processes run without appsettings.json (their working directory is the
    /// test's folder), so EF Core logs its commands at Information.
    /// </summary>
    private static void AssertOnlyLine(string output, string start)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(l => !QuietLog().IsMatch(l))
            .ToList();
        Assert.True(lines.Count == 1 && lines[0].StartsWith(start, StringComparison.Ordinal), $"Expected one line starting with '{start}':{Environment.NewLine}{output}");
        Assert.DoesNotContain("fail:", output, StringComparison.Ordinal);
        Assert.DoesNotContain("\"LogLevel\":\"Error\"", output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
    }

    [GeneratedRegex("""^\{"EventId":\d+,"LogLevel":"(Trace|Debug|Information)",""")]
    private static partial Regex QuietLog();

    /// <summary>Rows of the migrations history; 0 when the table does not exist (nothing was ever migrated).</summary>
    private static async Task<long> HistoryRowsOrZeroAsync(HostRoot root)
    {
        var tables = TestDatabase.IsPostgres
            ? await TestDatabase.CountAsync(root.Path, "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '__EFMigrationsHistory'")
            : await TestDatabase.CountAsync(root.Path, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '__EFMigrationsHistory'");
        return tables == 0 ? 0 : await TestDatabase.CountAsync(root.Path, "SELECT COUNT(*) FROM \"__EFMigrationsHistory\"");
    }

    private static string Describe(int? exitCode) =>
        exitCode?.ToString(CultureInfo.InvariantCulture) ?? "none (still running, killed)";

    [GeneratedRegex(@"^Applied (?<count>\d+) migration\(s\) to the \S+ database: .+\.$", RegexOptions.Multiline)]
    private static partial Regex AppliedLine();
}
