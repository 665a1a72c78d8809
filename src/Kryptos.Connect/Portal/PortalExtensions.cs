using Kryptos.Connect.Hosting.Pruning;
using Kryptos.Connect.Portal.Members;
using Kryptos.Connect.Portal.Usage;
using Kryptos.Connect.Portal.Workspaces;

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
        builder.Services.AddScoped<MemberService>();
        builder.Services.AddScoped<InvitationService>();
        builder.Services.AddScoped<WorkspaceUsage>();
        builder.Services.AddPruner<InvitationPruner>();
        return builder;
    }

    public static WebApplication MapPortal(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        return app;
    }
}
