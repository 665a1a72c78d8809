using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// A host whose clock a test moves: every time-based rule (token and session lifetimes, refresh caps,
/// max_age, lockouts, link expiry) reads <see cref="Clock"/> through the <see cref="TimeProvider"/>
/// service, which ASP.NET Core's cookie handler, Identity and OpenIddict all use. Tests advance it
/// instead of sleeping.
/// </summary>
public class FakeClockFactory : KryptosFactory
{
    /// <summary>Starts at the real current time, so tokens look ordinary to libraries that read the real clock.</summary>
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }
}
