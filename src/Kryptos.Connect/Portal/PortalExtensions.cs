using Kryptos.Connect.Hosting.Pruning;
using Kryptos.Connect.Portal.Audit;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.AspNetCore.Authorization;

namespace Kryptos.Connect.Portal;

public static class PortalExtensions
{
    /// <summary>The Developer Portal: server-rendered Razor Pages kept in feature folders.</summary>
    public static WebApplicationBuilder AddPortal(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // Pages live beside their feature (Accounts/Pages, Portal/Workspaces …) and declare
        // absolute routes, so the folder layout follows features rather than URLs.
        builder.Services.AddRazorPages(options => options.RootDirectory = "/");
        builder.Services.AddScoped<WorkspaceService>();
        builder.Services.AddScoped<AuditLog>();
        builder.Services.AddScoped<Clients.ClientService>();
        builder.Services.AddSingleton<IAuthorizationHandler, WorkspaceAuthorizationHandler>();
        builder.Services.AddScoped<Data.DemoData>();
        builder.Services.AddPruner<Members.InvitationPruner>();
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        return app;
    }
}
