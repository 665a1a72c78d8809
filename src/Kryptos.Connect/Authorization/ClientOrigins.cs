using System.Collections.Frozen;
using System.Text.Json;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// Cross-origin access to the endpoints a browser app calls itself: the token, userinfo,
/// revocation and introspection endpoints answer only origins that an active client registered
/// ("Allowed CORS origins" in the portal); discovery and JWKS are public documents. The authorization
/// endpoint has no CORS at all: it is a page, not an API.
/// </summary>
public sealed partial class ClientOrigins(IServiceScopeFactory scopes, ILogger<ClientOrigins> logger)
{
    public const string ClientEndpointsPolicy = "oidc-client-origins";
    public const string PublicDocumentsPolicy = "oidc-public-documents";

    private FrozenSet<string> _allowed = FrozenSet<string>.Empty;

    public bool IsAllowed(string origin) => _allowed.Contains(origin);

    /// <summary>Re-reads the registered origins; called on start, after a client changes, and on a schedule.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<KryptosDbContext>();
        var lists = await db.OAuthClients.Where(c => !c.IsDisabled && c.AllowedOrigins != null).Select(c => c.AllowedOrigins!).ToListAsync(cancellationToken);
        _allowed = lists.SelectMany(list => JsonSerializer.Deserialize<List<string>>(list) ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        LogRefreshed(logger, _allowed.Count);
    }

    public static void AddPolicies(CorsOptions cors, ClientOrigins origins)
    {
        ArgumentNullException.ThrowIfNull(cors);
        cors.AddPolicy(ClientEndpointsPolicy, policy => policy
            .SetIsOriginAllowed(origins.IsAllowed)
            .WithMethods(HttpMethods.Get, HttpMethods.Post)
            .WithHeaders("Authorization", "Content-Type", "DPoP")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10)));
        cors.AddPolicy(PublicDocumentsPolicy, policy => policy.AllowAnyOrigin().WithMethods(HttpMethods.Get));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Count} registered CORS origin(s) loaded")]
    private static partial void LogRefreshed(ILogger logger, int count);
}

/// <summary>Loads the registered origins at start and every minute on each instance.</summary>
internal sealed partial class ClientOriginsRefresher(ClientOrigins origins, TimeProvider time, ILogger<ClientOriginsRefresher> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await origins.RefreshAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await origins.RefreshAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Refreshing the registered CORS origins failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
