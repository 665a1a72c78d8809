using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Kryptos.BrowserTests.Infrastructure;

/// <summary>
/// The real host on a real Kestrel port, so that a real browser can reach it: Development (for
/// /dev/outbox), a SQLite file and a mail pickup folder in a temporary folder, no demo data.
/// </summary>
public sealed class KryptosApp : WebApplicationFactory<Program>
{
    public KryptosApp()
    {
        // The public origin (issuer, links in mails) must be known before the start, so the port is
        // chosen first: one the OS just handed out as free. Port 0 would be known only after the start.
        var port = FreePort();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("kryptos-browser-").FullName;

    /// <summary>The origin the browser talks to, such as <c>http://127.0.0.1:41234</c>, and the host's public origin.</summary>
    public Uri BaseAddress { get; }

    /// <summary>Starts Kestrel.</summary>
    public void Start() => StartServer();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Kryptos", $"Data Source={Path.Combine(Root, "kryptos.db")}");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(Root, "outbox"));
        builder.UseSetting("Hosting:PublicOrigin", BaseAddress.GetLeftPart(UriPartial.Authority));
        // A developer's user secrets could name an SMTP host, which hides /dev/outbox.
        builder.UseSetting("Email:Smtp:Host", "");
        // appsettings.Development.json seeds demo data; every test makes its own.
        builder.UseSetting("Database:SeedDemoData", "false");
        // Every test signs up and logs in from 127.0.0.1; rate limits have their own integration tests.
        builder.UseSetting("Accounts:RateLimits:LoginAttemptsPerIp", "100000");
        builder.UseSetting("Accounts:RateLimits:SignUpsPerIp", "100000");
        builder.UseSetting("Accounts:RateLimits:PasswordResetRequestsPerIp", "100000");
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

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open stays in the temp folder; it harms nothing.
        }
    }
}
