using Kryptos.Connect.Accounts;
using Kryptos.Connect.Authorization;
using Kryptos.Connect.ConnectApi;
using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Hosting;
using Kryptos.Connect.Portal;
using Kryptos.Connect.Portfolio;
using Kryptos.Connect.Usage;

var builder = WebApplication.CreateBuilder(args);

builder.AddData();                  // EF Core (SQLite by default), migrations before anything else starts, health checks
builder.AddHosting();               // logging, limits, Data Protection keys in the database, rate limits, mail, problem details
builder.AddCore();                  // accounts' and workspaces' entities, memberships and the access check, audit log, domain events
builder.AddAccounts();              // ASP.NET Core Identity, sessions, email
builder.AddAuthorizationServer();   // OpenID Connect provider (OpenIddict) at /oidc: clients, grants, tokens, keys
builder.AddPortal();                // Developer Portal pages: workspaces, clients, members, audit log, docs
builder.AddPortfolio();             // the portfolio domain: integrations, transactions, prices, holdings, tax, ledger, imports, reports
builder.AddUsage();                 // usage statistics: buffered metering records, hourly and daily rollups, retention
builder.AddConnectApi();            // Connect API at /v1: bearer tokens (cached, revocation honoured), scope policies, metering, problem details

var app = builder.Build();
if (!app.HasValidSettings())
{
    return 1;                       // one line per wrong setting on standard error, naming its key
}

if (args is ["migrate"])
{
    return await app.MigrateDatabaseAsync(); // the upgrade step of a deployment: apply migrations, exit
}

if (!await app.HasCurrentSchemaAsync())
{
    return 1;                       // Database:MigrateOnStart=false on a database the migrate step has not upgraded: one line
}

app.UseConnectApiMetering();        // meters every /v1 request, 401s and 429s included (before everything else)
app.UseConnectApiRequestChecks();   // /v1 requests the portal's pipeline must not answer in HTML (a NUL in the query: 400 problem)
app.UseHosting();                   // forwarded headers, errors, security headers, limits, routing, rate limits
app.UseAuthorizationServerMetadataLocation(); // RFC 8414 metadata at /.well-known/oauth-authorization-server/oidc
app.UseAuthorizationServerCors();   // CORS for the token/userinfo endpoints browser apps call
app.UseTokenRateLimits();           // requests per minute per client id at /oidc/token: 429 with RateLimit fields
app.UseAuthentication();
app.UseAuthorization();
app.MapHealth();
app.MapAuthorizationServer();
app.MapPortal();
app.MapConnectApi();                // /v1 resource groups, each behind its scope policy; problem details, never HTML

app.Run();
return 0;

/// <summary>Entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
