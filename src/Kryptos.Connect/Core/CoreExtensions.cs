using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Events;
using Kryptos.Connect.Core.Workspaces;

namespace Kryptos.Connect.Core;

public static class CoreExtensions
{
    /// <summary>
    /// The core every feature builds on: accounts' and workspaces' entities, membership queries and
    /// the one access check, the audit log, domain events and the scope vocabulary.
    /// </summary>
    public static WebApplicationBuilder AddCore(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddScoped<Memberships>();
        builder.Services.AddScoped<WorkspaceLifecycle>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<DomainEvents>();
        return builder;
    }
}
