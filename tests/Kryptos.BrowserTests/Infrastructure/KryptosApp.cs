using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.BrowserTests.Infrastructure;

/// <summary>
/// The real host on a real Kestrel port, so that a real browser can reach it: Development (for
/// /dev/outbox), a SQLite file and a mail pickup folder in a temporary folder, no demo data.
/// </summary>
public sealed class KryptosApp : WebApplicationFactory<Program>
{
    public KryptosApp()
    {
        // Port 0 on "localhost" is refused by Kestrel; on the loopback address it picks a free port.
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("kryptos-browser-").FullName;

    /// <summary>The origin the browser talks to, such as <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts Kestrel and reads the port it picked.</summary>
    public void Start()
    {
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        BaseAddress = new Uri(addresses.Single());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        builder.UseSetting("ConnectionStrings:Kryptos", $"Data Source={Path.Combine(Root, "kryptos.db")}");
        builder.UseSetting("Email:PickupDirectory", Path.Combine(Root, "outbox"));
        // A developer's user secrets could name an SMTP host, which hides /dev/outbox.
        builder.UseSetting("Email:Smtp:Host", "");
        // appsettings.Development.json seeds demo data; every test makes its own.
        builder.UseSetting("Database:SeedDemoData", "false");
        // Every test signs up and logs in from 127.0.0.1; rate limits have their own integration tests.
        builder.UseSetting("Accounts:LoginRateLimit:PermitsPerIp", "100000");
        builder.UseSetting("Accounts:LoginRateLimit:PermitsPerAccount", "100000");
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
