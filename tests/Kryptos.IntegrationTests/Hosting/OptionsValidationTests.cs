using Kryptos.Connect.Hosting;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>
/// A guard for options classes added later: every one bound from configuration is validated with its
/// nested sections (ProductionStartTests proves what that validation catches).
/// </summary>
public sealed class OptionsValidationTests
{
    [Fact]
    public async Task EveryOptionsClassBoundFromConfiguration_IsValidatedWithItsNestedSections()
    {
        await using var factory = new CapturingFactory();
        _ = factory.Services;

        // BindConfiguration registers a change-token source per bound options class.
        var bound = factory.Registrations
            .Where(d => d.ServiceType.IsGenericType && d.ServiceType.GetGenericTypeDefinition() == typeof(IOptionsChangeTokenSource<>))
            .Select(d => d.ServiceType.GetGenericArguments()[0])
            .Where(t => t.Assembly == typeof(HostingOptions).Assembly)
            .Distinct()
            .ToList();
        Assert.Contains(typeof(HostingOptions), bound);
        foreach (var options in bound)
        {
            var validators = factory.Registrations.Where(d => d.ServiceType == typeof(IValidateOptions<>).MakeGenericType(options));
            Assert.True(validators.Any(d => d.ImplementationInstance?.GetType() == typeof(RecursiveDataAnnotationsValidator<>).MakeGenericType(options)),
                $"{options.Name} is bound from configuration but not validated with ValidateDataAnnotationsRecursively.");
        }
    }

    private sealed class CapturingFactory : KryptosFactory
    {
        public List<ServiceDescriptor> Registrations { get; } = [];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.ConfigureTestServices(services => Registrations.AddRange(services));
        }
    }
}
