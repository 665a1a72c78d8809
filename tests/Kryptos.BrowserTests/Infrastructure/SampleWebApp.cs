using System.Net;
using Kryptos.Samples.WebApp;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Kryptos.BrowserTests.Infrastructure;

/// <summary>
/// The third-party sample app (samples/Kryptos.Samples.WebApp) on its own Kestrel port, signing in
/// with the Kryptos host over real HTTP. The browser reaches it as <c>localhost</c> while Kryptos is
/// <c>127.0.0.1</c>: two sites with their own cookies, as a real app and Kryptos would be.
/// </summary>
public sealed class SampleWebApp : WebApplicationFactory<SampleProgram>
{
    private readonly Uri _authority;
    private readonly string? _clientId;
    private readonly string? _clientSecret;

    private SampleWebApp(Uri authority, string? clientId, string? clientSecret, int port)
    {
        _authority = authority;
        _clientId = clientId;
        _clientSecret = clientSecret;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
    }

    /// <summary>Where the browser opens the sample, such as <c>http://localhost:41235/</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Starts the sample on a free port (or <paramref name="port"/>); without a client it shows its setup page.</summary>
    public static async Task<SampleWebApp> StartAsync(Uri authority, string? clientId = null, string? clientSecret = null, int port = 0)
    {
        var sample = new SampleWebApp(authority, clientId, clientSecret, port);
        try
        {
            await Task.Run(sample.StartServer);
            var address = new Uri(sample.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());
            sample.Address = new Uri($"http://localhost:{address.Port}/");
            return sample;
        }
        catch
        {
            await sample.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What a developer does after registering the app: set its client ID and secret, then restart
    /// it. The new instance listens on the same port, so the registered redirect URIs still match.
    /// </summary>
    public async Task<SampleWebApp> RestartWithClientAsync(string clientId, string clientSecret)
    {
        var port = Address.Port;
        await DisposeAsync();
        return await StartAsync(_authority, clientId, clientSecret, port);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Development");
        // Set all three, empty or not: a developer's user secrets for the sample must not leak in.
        builder.UseSetting("Kryptos:Authority", _authority.ToString());
        builder.UseSetting("Kryptos:ClientId", _clientId ?? "");
        builder.UseSetting("Kryptos:ClientSecret", _clientSecret ?? "");
        // Keys in memory, not in the home folder: a test's sample lives for one test.
        builder.ConfigureServices(services => services.AddDataProtection().UseEphemeralDataProtectionProvider());
    }
}
