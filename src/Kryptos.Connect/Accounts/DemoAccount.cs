using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Data;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// A demo developer account with a verified email and a team workspace, so a fresh local run has
/// something to show. Seeded idempotently, only when <c>Database:SeedDemoData</c> is true (the
/// Development default). The password is documented in the README; never enable this in production.
/// </summary>
internal sealed partial class DemoAccount(
    UserManager<User> users,
    WorkspaceLifecycle workspaces,
    TimeProvider time,
    ILogger<DemoAccount> logger) : IDataSeeder
{
    public const string Email = "demo@kryptos.localhost";
    public const string Password = "kryptos-demo-password";

    public async Task SeedAsync(CancellationToken cancellationToken)
    {
        if (await users.FindByEmailAsync(Email) is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        var user = new User
        {
            UserName = Email,
            Email = Email,
            EmailConfirmed = true,
            DisplayName = "Demo Developer",
            CreatedAt = now,
            UpdatedAt = now,
        };
        var result = await users.CreateAsync(user, Password);
        if (!result.Succeeded)
        {
            throw new InvalidOperationException("Seeding the demo account failed: " + string.Join("; ", result.Errors.Select(e => e.Description)));
        }

        await workspaces.CreatePersonalAsync(user, cancellationToken);
        await workspaces.CreateAsync(user, "Demo Tax App", "A sample workspace for a tax tool that reads Kryptos data.", cancellationToken);
        LogSeeded(logger, Email);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo account {Email} (password in the README)")]
    private static partial void LogSeeded(ILogger logger, string email);
}
