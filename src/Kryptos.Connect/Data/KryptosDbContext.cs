using Kryptos.Connect.Accounts;
using Kryptos.Connect.Authorization;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portal.Members;
using Kryptos.Connect.Portfolio.Importing;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.Connect.Portfolio.Prices;
using Kryptos.Connect.Portfolio.Reports;
using Kryptos.Connect.Portfolio.Transactions;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.Connect.Data;

/// <summary>
/// The one DbContext of the product. Entity configurations live beside their feature
/// (<c>IEntityTypeConfiguration</c> classes) and are picked up from this assembly.
/// Each database provider derives its own context type so that its migrations live apart
/// (see docs/decisions/0002-one-context-type-per-provider.md).
/// </summary>
public class KryptosDbContext(DbContextOptions options)
    : IdentityUserContext<User, Guid>(options), IDataProtectionKeyContext
{
    public DbSet<UserSession> UserSessions => Set<UserSession>();
    public DbSet<Workspace> Workspaces => Set<Workspace>();
    public DbSet<WorkspaceMember> WorkspaceMembers => Set<WorkspaceMember>();
    public DbSet<WorkspaceInvitation> WorkspaceInvitations => Set<WorkspaceInvitation>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<OAuthClient> OAuthClients => Set<OAuthClient>();
    public DbSet<ClientSecret> ClientSecrets => Set<ClientSecret>();
    public DbSet<OAuthGrant> OAuthGrants => Set<OAuthGrant>();
    public DbSet<Authorization.Keys.ServerKey> ServerKeys => Set<Authorization.Keys.ServerKey>();
    public DbSet<Integration> Integrations => Set<Integration>();
    public DbSet<PortfolioTransaction> Transactions => Set<PortfolioTransaction>();
    public DbSet<TransactionLine> TransactionLines => Set<TransactionLine>();
    public DbSet<PriceQuote> PriceQuotes => Set<PriceQuote>();
    public DbSet<ImportJob> ImportJobs => Set<ImportJob>();
    public DbSet<Report> Reports => Set<Report>();
    public DbSet<Authorization.ApiKeys.ApiKey> ApiKeys => Set<Authorization.ApiKeys.ApiKey>();
    public DbSet<Usage.UsageRecord> UsageRecords => Set<Usage.UsageRecord>();
    public DbSet<Usage.UsageBucket> UsageBuckets => Set<Usage.UsageBucket>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        // OpenIddict's tables, with our entity types (OAuth clients carry their workspace).
        builder.UseOpenIddict<OAuthClient, OAuthGrant, OAuthScope, OAuthToken, string>();
        builder.Entity<User>(user =>
        {
            user.ToTable("Users");
            user.Property(u => u.DisplayName).HasMaxLength(User.DisplayNameMaxLength);
            user.Property(u => u.Language).HasMaxLength(16);
        });
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("UserClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("UserLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("UserTokens");
        builder.ApplyConfigurationsFromAssembly(typeof(KryptosDbContext).Assembly);
    }
}
