using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Accounts;

/// <summary>
/// Deleting an account from its settings, confirmed with the password: workspaces shared with
/// others are handed over first; the account's own workspaces go with it; it leaves the others.
/// </summary>
public sealed class AccountDeletionTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task ASharedWorkspaceWithNoOtherOwner_MustBeHandedOverFirst_ThenTheAccountGoes()
    {
        var (leaver, session) = await factory.SignedInUserAsync();
        var team = await session.CreateWorkspaceAsync("Team Books");
        var (colleague, _) = await factory.MemberAsync(session, team, WorkspaceRole.Editor);

        var page = await session.GetPageAsync("/account/delete");
        using var refused = await session.PostDirectAsync("/account/delete", [new("Password", leaver.Password)]);

        Assert.Contains("Team Books", page.QuerySelector("section[aria-labelledby='handover-heading']")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("input[name='Password']"));
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.NotNull(await factory.FindUserAsync(leaver.Email));

        // Hand it over: the colleague becomes owner. Now the account can go, and it leaves the team.
        using (var promoted = await session.ChangeRoleAsync(team, await factory.UserIdAsync(colleague), WorkspaceRole.Owner))
        {
            Assert.Equal(HttpStatusCode.Redirect, promoted.StatusCode);
        }

        var personal = await factory.PersonalWorkspaceIdAsync(leaver);
        using var deleted = await session.SubmitAsync("/account/delete", new Dictionary<string, string> { ["Password"] = leaver.Password });

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Null(await factory.FindUserAsync(leaver.Email));
        Assert.False(await factory.WithDbAsync(db => db.Workspaces.AnyAsync(w => w.Id == personal)));
        Assert.True(await factory.WithDbAsync(db => db.Workspaces.AnyAsync(w => w.Id == team)));
        Assert.Null(await factory.RoleOfAsync(team, leaver.Email));
        Assert.Single(await factory.AuditEventsAsync(team, AuditActions.AccountDeleted));
        Assert.Equal("Your Kryptos account was deleted", factory.Mailbox.LastTo(leaver.Email).Subject);
        using var after = await session.Http.GetAsync(new Uri("/workspaces", UriKind.Relative));
        AccountIntents.AssertRedirectsToLogin(after);
    }

    [Fact]
    public async Task AWorkspaceOnlyTheAccountUses_IsDeletedWithIt()
    {
        var (user, session) = await factory.SignedInUserAsync();
        var solo = await session.CreateWorkspaceAsync("Solo Project");

        using var deleted = await session.SubmitAsync("/account/delete", new Dictionary<string, string> { ["Password"] = user.Password });

        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.False(await factory.WithDbAsync(db => db.Workspaces.AnyAsync(w => w.Id == solo)));
        session.Dispose();
    }

    [Fact]
    public async Task AWrongPassword_DeletesNothing()
    {
        var (user, session) = await factory.SignedInUserAsync();

        using var refused = await session.SubmitAsync("/account/delete", new Dictionary<string, string> { ["Password"] = "not my passphrase" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("The password is not correct.", AccountIntents.FieldError(await PortalClient.ReadPageAsync(refused), "Password"));
        Assert.NotNull(await factory.FindUserAsync(user.Email));
        session.Dispose();
    }
}
