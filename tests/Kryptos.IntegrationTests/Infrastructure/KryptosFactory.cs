using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// The real host on a real SQLite file in a temporary folder (or its own database on a real PostgreSQL
/// server, see <see cref="TestDatabase"/>), with mail going to a pickup folder the tests read. One factory is shared by a test class; every test makes its own users and workspaces,
/// so no test depends on another's data.
/// </summary>
public class KryptosFactory : WebApplicationFactory<Program>
{
    public KryptosFactory()
        : this(Directory.CreateTempSubdirectory("kryptos-tests-").FullName)
    {
    }

    /// <summary>
    /// A host on an existing <paramref name="root"/> folder (database and outbox), such as the one of
    /// a factory that was disposed with <see cref="DeleteRootOnDispose"/> off: a restart on the same data.
    /// </summary>
    protected KryptosFactory(string root)
    {
        Root = root;
    }

    public string Root { get; }

    /// <summary>Whether disposing deletes <see cref="Root"/>. Off, a later factory can start on the same data.</summary>
    public bool DeleteRootOnDispose { get; set; } = true;

    public LogCollector Logs { get; } = new();

    public Mailbox Mailbox => new(Path.Combine(Root, "outbox"), MailDeliveredAsync);

    /// <summary>Completes when the host's mail queue has delivered (or given up on) everything queued so far.</summary>
    public Task MailDeliveredAsync() => Services.GetRequiredService<EmailDelivery>().WhenIdleAsync();

    /// <summary>Extra settings for a derived factory (set in its constructor).</summary>
    protected Dictionary<string, string?> Settings { get; } = new()
    {
        // What production requires outside Development: the public origin (the test client's base
        // address) and a certificate that encrypts the Data Protection keys.
        ["Hosting:PublicOrigin"] = "https://localhost",
        ["Hosting:DataProtection:CertificatePath"] = TestCertificate.Path,
        ["Hosting:DataProtection:CertificatePassword"] = TestCertificate.Password,
        // A pass at an arbitrary moment would race with tests that move dates; PruningTests run passes themselves.
        ["Pruning:Enabled"] = "false",
        // Likewise the usage rollup (UsageRollupTests run passes themselves); metering writes its
        // batches quickly, so tests poll the database for a short time.
        ["Usage:Rollup:Enabled"] = "false",
        ["Usage:Metering:FlushInterval"] = "00:00:00.050",
        // Most tests are not about rate limits: every test client comes from the same (missing)
        // address. The throttle tests set small limits in derived factories.
        ["Accounts:Throttle:FailuresPerAccountAndIp"] = "10000",
        ["Accounts:Throttle:FailuresPerIp"] = "100000",
        ["Accounts:RateLimits:LoginAttemptsPerIp"] = "100000",
        ["Accounts:RateLimits:SignUpsPerIp"] = "100000",
        ["Accounts:RateLimits:PasswordResetRequestsPerIp"] = "100000",
    };

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Testing");
        TestDatabase.EnsureCreated(Root);
        foreach (var (key, value) in TestDatabase.Settings(Root))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Email:PickupDirectory", Path.Combine(Root, "outbox"));
        builder.UseSetting("Database:SeedDemoData", "false");
        foreach (var (key, value) in Settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    /// <summary>Errors the host logged, to explain a failing test.</summary>
    public string LoggedErrors => string.Join(Environment.NewLine, Logs.Messages.Where(m => m.StartsWith("Error", StringComparison.Ordinal) || m.StartsWith("Critical", StringComparison.Ordinal)));

    /// <summary>A new browser-like client: cookies kept, redirects not followed, https like production.</summary>
    public PortalClient NewClient() => new(CreateClient(new WebApplicationFactoryClientOptions
    {
        BaseAddress = new Uri("https://localhost"),
        AllowAutoRedirect = false,
        HandleCookies = true,
    }), () => LoggedErrors);

    /// <summary>Runs <paramref name="action"/> against the database, for arranging and asserting.</summary>
    public async Task<T> WithDbAsync<T>(Func<KryptosDbContext, Task<T>> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider.GetRequiredService<KryptosDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!DeleteRootOnDispose)
        {
            return;
        }

        await TestDatabase.DropAsync(Root);

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open is left in the temp folder; it does not affect other tests.
        }
    }
}
