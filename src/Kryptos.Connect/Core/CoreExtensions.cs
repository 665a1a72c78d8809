using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Core.RateLimits;
using Kryptos.Connect.Core.Workspaces;

namespace Kryptos.Connect.Core;

public static class CoreExtensions
{
    /// <summary>
    /// The core every feature builds on: accounts' and workspaces' entities, membership queries and
    /// the one access check, the audit log, domain events, the scope vocabulary and the API's rate limits.
    /// </summary>
    public static WebApplicationBuilder AddCore(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<Memberships>();
        builder.Services.AddScoped<WorkspaceLifecycle>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<DomainEvents>();
        builder.Services.AddApiRateLimits();
        return builder;
    }
}
