using System.Diagnostics;
using System.Globalization;
using System.Runtime;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.DataProtection;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// Where start-up time goes, for <c>bench/startup --trace</c>. With <c>Hosting:StartupTrace=true</c>
/// the host notes a timestamp after each phase (building the service provider, the EF Core model, each
/// hosted service in start order, each demo seeder, the Data Protection key ring, Kestrel) with the JIT,
/// GC and memory counters of the moment, and logs the list when <c>/health/ready</c> first answers 200.
/// <para>
/// It measures without reordering anything that matters: it inserts marker services between the
/// registered hosted services and seeders (which run one after another, in registration order), and
/// only two steps are done earlier than they would be: the EF Core model is built just before the
/// migrations (their first step anyway) and the Data Protection key ring is loaded right after them
/// (instead of inside the signing-key load), so each gets its own line. Off by default: then nothing
/// is registered and nothing is measured.
/// </para>
/// </summary>
internal sealed partial class StartupTrace
{
    private readonly List<string> _lines = [];
    private readonly DateTime _processStart = Process.GetCurrentProcess().StartTime.ToUniversalTime();
    private double _last;
    private int _reported;

    /// <summary>Turns the trace on when <c>Hosting:StartupTrace</c> is true; the first mark is "now".</summary>
    public static void EnableIfConfigured(WebApplicationBuilder builder, HostingOptions hosting)
    {
        if (!hosting.StartupTrace)
        {
            return;
        }

        var trace = new StartupTrace();
        trace.Mark("runtime start, Main, CreateBuilder, AddData (to AddHosting)");
        builder.Services.AddSingleton(trace);
        var development = builder.Environment.IsDevelopment();
        builder.Host.UseServiceProviderFactory(new TracingServiceProviderFactory(trace, new ServiceProviderOptions
        {
            // What the host uses without a factory of its own.
            ValidateScopes = development,
            ValidateOnBuild = development,
        }));
    }

    /// <summary>Logs the first 200 of <c>/health/ready</c> and then the whole list.</summary>
    public static void UseIfEnabled(WebApplication app)
    {
        if (app.Services.GetService<StartupTrace>() is not { } trace)
        {
            return;
        }

        var logger = app.Services.GetRequiredService<ILogger<StartupTrace>>();
        app.Lifetime.ApplicationStarted.Register(() => trace.Mark("Kestrel listening (ApplicationStarted)"));
        app.Use(async (context, next) =>
        {
            await next(context);
            if (context.Request.Path == "/health/ready" && context.Response.StatusCode == StatusCodes.Status200OK
                && Interlocked.Exchange(ref trace._reported, 1) == 0)
            {
                trace.Mark("first /health/ready answered 200");
                trace.Report(logger);
            }
        });
    }

    /// <summary>Notes the end of a phase: time since the process started and since the previous mark.</summary>
    public void Mark(string phase)
    {
        lock (_lines)
        {
            var now = (DateTime.UtcNow - _processStart).TotalMilliseconds;
            _lines.Add(string.Create(CultureInfo.InvariantCulture,
                $"{now,7:0} ms  +{now - _last,6:0} ms  {phase}  [jit {System.Runtime.JitInfo.GetCompiledMethodCount(),6} methods {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,5:0} ms, gc0 {GC.CollectionCount(0)}, allocated {GC.GetTotalAllocatedBytes() >> 20} MB, gc committed {GC.GetGCMemoryInfo().TotalCommittedBytes >> 20} MB, rss {Environment.WorkingSet >> 20} MB]"));
            _last = now;
        }
    }

    private void Report(ILogger logger)
    {
        lock (_lines)
        {
            LogSettings(logger, GCSettings.IsServerGC, GCSettings.LatencyMode, Environment.ProcessorCount);
            foreach (var line in _lines)
            {
                LogLine(logger, line);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "startup-trace server GC {ServerGc}, latency mode {LatencyMode}, {Processors} processors")]
    private static partial void LogSettings(ILogger logger, bool serverGc, GCLatencyMode latencyMode, int processors);

    [LoggerMessage(Level = LogLevel.Information, Message = "startup-trace {Line}")]
    private static partial void LogLine(ILogger logger, string line);

    /// <summary>Builds the container as the host would, timing it, after inserting the markers.</summary>
    private sealed class TracingServiceProviderFactory(StartupTrace trace, ServiceProviderOptions options) : IServiceProviderFactory<IServiceCollection>
    {
        public IServiceCollection CreateBuilder(IServiceCollection services)
        {
            trace.Mark("service registrations (AddHosting … AddConnectApi, WebApplicationBuilder.Build)");
            InsertMarkers(services);
            return services;
        }

        public IServiceProvider CreateServiceProvider(IServiceCollection containerBuilder)
        {
            var provider = containerBuilder.BuildServiceProvider(options);
            trace.Mark($"service provider built (ValidateOnBuild {options.ValidateOnBuild})");
            return provider;
        }

        private void InsertMarkers(IServiceCollection services)
        {
            var hosted = services.Where(d => d.ServiceType == typeof(IHostedService)).ToList();
            var seeders = services.Where(d => d.ServiceType == typeof(IDataSeeder)).ToList();
            if (hosted.Count == 0)
            {
                return;
            }

            services.Insert(services.IndexOf(hosted[0]), ServiceDescriptor.Singleton<IHostedService>(sp => new BeforeHostedServices(trace, sp)));
            foreach (var descriptor in hosted)
            {
                var name = NameOf(descriptor);
                services.Insert(services.IndexOf(descriptor) + 1, ServiceDescriptor.Singleton<IHostedService>(sp => new AfterHostedService(trace, sp, name)));
            }

            if (seeders.Count > 0)
            {
                services.Insert(services.IndexOf(seeders[0]), ServiceDescriptor.Singleton<IDataSeeder>(new SeederMarker(trace, "migrations checked (and applied when pending)")));
                foreach (var descriptor in seeders)
                {
                    services.Insert(services.IndexOf(descriptor) + 1, ServiceDescriptor.Singleton<IDataSeeder>(new SeederMarker(trace, "  seeder " + NameOf(descriptor))));
                }
            }
        }

        private static string NameOf(ServiceDescriptor descriptor) =>
            descriptor.ImplementationType?.Name
            ?? descriptor.ImplementationInstance?.GetType().Name
            ?? descriptor.ImplementationFactory?.Method.ReturnType.Name
            ?? "?";
    }

    /// <summary>Marks the end of Program's own work (settings validation, pipeline) and builds the EF Core model.</summary>
    private sealed class BeforeHostedServices(StartupTrace trace, IServiceProvider services) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            trace.Mark("settings validated, pipeline declared (Program, before the hosted services)");
            await using var scope = services.CreateAsyncScope();
            _ = scope.ServiceProvider.GetRequiredService<KryptosDbContext>().Model;
            trace.Mark("EF Core model built");
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Marks the end of one hosted service's start; after the database's, loads the Data Protection key ring.</summary>
    private sealed class AfterHostedService(StartupTrace trace, IServiceProvider services, string name) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            trace.Mark("hosted " + name);
            if (name == nameof(DatabaseInitializer))
            {
                // Loads (or, on an empty database, creates) the key ring, decrypting it with the certificate.
                _ = services.GetRequiredService<IDataProtectionProvider>().CreateProtector("Kryptos.Connect.StartupTrace").Protect([1]);
                trace.Mark("Data Protection key ring loaded");
            }

            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    private sealed class SeederMarker(StartupTrace trace, string phase) : IDataSeeder
    {
        public Task SeedAsync(CancellationToken cancellationToken)
        {
            trace.Mark(phase);
            return Task.CompletedTask;
        }
    }
}
