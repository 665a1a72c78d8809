using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization.Clients;

/// <summary>
/// A demo public client (no secret, PKCE S256) for the interactive API reference at
/// <see cref="Path"/>, owned by the demo account's workspace, so that a fresh local run can
/// authorize and send real /v1 calls from the page. Seeded with the demo data only (Development);
/// its redirect URIs are the reference page at the loopback addresses of the README's run command
/// (<c>http://localhost:5080</c>) and at <c>Hosting:PublicOrigin</c> when one is set. Idempotent:
/// a later start on another origin adds that origin's page.
/// </summary>
internal sealed partial class ApiReferenceClient(
    KryptosDbContext db,
    OpenIddictApplicationManager<OAuthClient> applications,
    IOptions<HostingOptions> hosting,
    TimeProvider time,
    ILogger<ApiReferenceClient> logger) : IDataSeeder
{
    public const string ClientId = "kc_api_reference_demo";
    public const string Path = "/docs/api";

    /// <summary>Scalar serves the page at the prefix with a trailing slash (the prefix alone redirects there).</summary>
    public const string PagePath = Path + "/";

    /// <summary>The account DemoAccount seeds (Accounts); its "Demo Tax App" workspace publishes the client.</summary>
    private const string DemoEmail = "demo@kryptos.localhost";
    private const string DemoWorkspace = "Demo Tax App";

    private static readonly string[] LocalOrigins = ["http://localhost:5080", "http://127.0.0.1:5080"];

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        var redirectUris = LocalOrigins.Append(hosting.Value.PublicOrigin)
            .Where(origin => !string.IsNullOrEmpty(origin))
            .Select(origin => new Uri(origin!.TrimEnd('/') + PagePath, UriKind.Absolute))
            .Distinct()
            .ToList();
        if (await applications.FindByClientIdAsync(ClientId, cancellationToken) is { } existing)
        {
            var registered = await applications.GetRedirectUrisAsync(existing, cancellationToken);
            var missing = redirectUris.Where(uri => !registered.Contains(uri.AbsoluteUri, StringComparer.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                var update = new OpenIddictApplicationDescriptor();
                await applications.PopulateAsync(update, existing, cancellationToken);
                update.RedirectUris.UnionWith(missing);
                await applications.UpdateAsync(existing, update, cancellationToken);
            }

            return;
        }

        var workspaceId = await db.WorkspaceMembers
            .Where(m => m.User.Email == DemoEmail && m.Workspace.Name == DemoWorkspace)
            .Select(m => (Guid?)m.WorkspaceId)
            .FirstOrDefaultAsync(cancellationToken);
        if (workspaceId is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var client = new OAuthClient { WorkspaceId = workspaceId.Value, CreatedAt = now, UpdatedAt = now };
        var descriptor = new OpenIddictApplicationDescriptor
        {
            ClientId = ClientId,
            ClientType = ClientTypes.Public,
            ApplicationType = ApplicationTypes.Native,
            ConsentType = ConsentTypes.Explicit,
            DisplayName = "Kryptos API reference (demo)",
        };
        descriptor.RedirectUris.UnionWith(redirectUris);
        // What ClientService gives a public client with the default scopes; PKCE is required for every client.
        descriptor.Permissions.UnionWith(
        [
            Permissions.Endpoints.Authorization,
            Permissions.Endpoints.Token,
            Permissions.Endpoints.Revocation,
            Permissions.GrantTypes.AuthorizationCode,
            Permissions.GrantTypes.RefreshToken,
            Permissions.ResponseTypes.Code,
        ]);
        descriptor.Permissions.UnionWith(KryptosScopes.Defaults.Where(s => s is not (KryptosScopes.OpenId or KryptosScopes.OfflineAccess)).Select(s => Permissions.Prefixes.Scope + s));
        descriptor.Requirements.Add(Requirements.Features.ProofKeyForCodeExchange);
        await applications.PopulateAsync(client, descriptor, cancellationToken);
        await applications.CreateAsync(client, cancellationToken);
        LogSeeded(logger, ClientId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo client {ClientId} of the API reference")]
    private static partial void LogSeeded(ILogger logger, string clientId);
}
