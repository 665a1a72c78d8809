using System.Net;
using System.Security.Cryptography;
using System.Text;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>
/// Invitations by email: single use, 7 days, only for the invited address, replaced by a newer one,
/// revocable, and stored as a hash of the link's token.
/// </summary>
public sealed class InvitationTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    private const string LinkDoesNotWork = "This invitation link is invalid, expired, revoked or already used. Ask for a new invitation.";

    [Fact]
    public async Task AcceptingWithTheInvitedAccount_AddsAMemberWithTheInvitedRole_AndIsAudited()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Welcoming");
        var (invitee, inviteeClient) = await factory.SignedInUserAsync(email: Intents.NewEmail("invitee"));
        var link = await factory.InviteAsync(owner, workspaceId, invitee.Email, WorkspaceRole.Admin);

        using var response = await inviteeClient.AcceptInvitationAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/workspaces/{workspaceId}", response.Headers.Location!.OriginalString);
        Assert.Equal(WorkspaceRole.Admin, await factory.RoleOfAsync(workspaceId, invitee.Email));
        var invitation = Assert.Single(await factory.InvitationsAsync(workspaceId));
        Assert.NotNull(invitation.AcceptedAt);
        Assert.Equal(await factory.UserIdAsync(invitee), invitation.AcceptedByUserId);
        var accepted = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.InvitationAccepted));
        Assert.Equal(invitee.Email, accepted.ActorEmail);
        Assert.Equal($"{invitee.Email} joined as admin", accepted.Summary);
        var dashboard = await inviteeClient.FollowAsync(response);
        Assert.Equal("Welcome to Welcoming.", dashboard.QuerySelector(".alert.success")!.TextContent.Trim());
        owner.Dispose();
        inviteeClient.Dispose();
    }

    [Fact]
    public async Task AnUnverifiedAccount_CannotAcceptAnInvitation_UntilItVerifiesItsAddress()
    {
        // Someone signed up with the invitee's address before the invitee did: the invitation mail
        // reaches the real mailbox, but the account is not theirs until the address is verified.
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Careful");
        var invitee = await factory.SignUpAsync(Intents.NewEmail("unverified"));
        var link = await factory.InviteAsync(owner, workspaceId, invitee.Email, WorkspaceRole.Editor);
        using var inviteeClient = await factory.LoginAsync(invitee);

        var page = await inviteeClient.GetPageAsync(link);
        using var refused = await inviteeClient.PostDirectAsync(link);

        Assert.Contains("Verify your email address first", page.QuerySelector(".alert.warning")!.TextContent, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("main form button[type='submit']"));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.StartsWith("/account/verify-email?purpose=invitation", refused.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Null(await factory.RoleOfAsync(workspaceId, invitee.Email));
        Assert.False(await EmailConfirmedAsync(invitee));

        await factory.VerifyEmailAsync(invitee);
        using var accepted = await inviteeClient.AcceptInvitationAsync(link);

        Assert.Equal(HttpStatusCode.Redirect, accepted.StatusCode);
        Assert.Equal(WorkspaceRole.Editor, await factory.RoleOfAsync(workspaceId, invitee.Email));
        owner.Dispose();
    }

    [Fact]
    public async Task Invitation_ExpiresSevenDaysAfterItWasSent_AndIsListedAsPending()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Pending List");
        var email = Intents.NewEmail("pending");

        await factory.InviteAsync(owner, workspaceId, email, WorkspaceRole.Editor);

        var invitation = Assert.Single(await factory.InvitationsAsync(workspaceId));
        Assert.Equal(TimeSpan.FromDays(7), invitation.ExpiresAt - invitation.CreatedAt);
        var page = await owner.GetPageAsync($"/workspaces/{workspaceId}/members");
        var pending = page.QuerySelector("section[aria-labelledby='pending-heading'] tbody")!.TextContent;
        Assert.Contains(email, pending, StringComparison.Ordinal);
        Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.MemberInvited));
        owner.Dispose();
    }

    [Fact]
    public async Task InvitationLink_WorksOnlyOnce()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Single Use");
        var (invitee, inviteeClient) = await factory.SignedInUserAsync();
        var link = await factory.InviteAsync(owner, workspaceId, invitee.Email, WorkspaceRole.Viewer);
        using (var first = await inviteeClient.AcceptInvitationAsync(link))
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        using var second = await inviteeClient.PostDirectAsync(link);

        var page = await PortalClient.ReadPageAsync(second, HttpStatusCode.BadRequest);
        Assert.Equal([LinkDoesNotWork], page.FormErrors());
        using var view = await inviteeClient.Http.GetAsync(new Uri(link, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
        Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.InvitationAccepted));
        Assert.Equal(2, await factory.MemberCountAsync(workspaceId));
        owner.Dispose();
        inviteeClient.Dispose();
    }

    [Fact]
    public async Task RevokedInvitation_CannotBeAccepted()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Changed Our Mind");
        var (invitee, inviteeClient) = await factory.SignedInUserAsync();
        var link = await factory.InviteAsync(owner, workspaceId, invitee.Email, WorkspaceRole.Editor);
        var invitation = Assert.Single(await factory.InvitationsAsync(workspaceId));

        using (var revoke = await owner.RevokeInvitationAsync(workspaceId, invitation.Id))
        {
            Assert.Equal(HttpStatusCode.Redirect, revoke.StatusCode);
        }

        Assert.NotNull(Assert.Single(await factory.InvitationsAsync(workspaceId)).RevokedAt);
        var revoked = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.InvitationRevoked));
        Assert.Equal($"Revoked the invitation of {invitee.Email}", revoked.Summary);
        using var view = await inviteeClient.Http.GetAsync(new Uri(link, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
        using var accept = await inviteeClient.PostDirectAsync(link);
        Assert.Equal(HttpStatusCode.BadRequest, accept.StatusCode);
        Assert.Null(await factory.RoleOfAsync(workspaceId, invitee.Email));
        owner.Dispose();
        inviteeClient.Dispose();
    }

    [Fact]
    public async Task ExpiredInvitation_CannotBeAccepted()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Too Late");
        var (invitee, inviteeClient) = await factory.SignedInUserAsync();
        var link = await factory.InviteAsync(owner, workspaceId, invitee.Email, WorkspaceRole.Editor);
        await factory.WithDbAsync(db => db.WorkspaceInvitations
            .Where(i => i.WorkspaceId == workspaceId)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(-1))));

        using var view = await inviteeClient.Http.GetAsync(new Uri(link, UriKind.Relative));
        using var accept = await inviteeClient.PostDirectAsync(link);

        Assert.Equal(HttpStatusCode.NotFound, view.StatusCode);
        var page = await PortalClient.ReadPageAsync(accept, HttpStatusCode.BadRequest);
        Assert.Equal([LinkDoesNotWork], page.FormErrors());
        Assert.Null(await factory.RoleOfAsync(workspaceId, invitee.Email));
        Assert.Null(Assert.Single(await factory.InvitationsAsync(workspaceId)).AcceptedAt);
        var members = await owner.GetPageAsync($"/workspaces/{workspaceId}/members");
        Assert.DoesNotContain(invitee.Email, members.QuerySelector("section[aria-labelledby='pending-heading']")!.TextContent, StringComparison.Ordinal);
        owner.Dispose();
        inviteeClient.Dispose();
    }

    [Fact]
    public async Task AnotherAccount_CannotAcceptAnInvitationSentToSomeoneElse()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Addressed");
        var (invitee, inviteeClient) = await factory.SignedInUserAsync();
        var (intruder, intruderClient) = await factory.SignedInUserAsync();
        var link = await factory.InviteAsync(owner, workspaceId, invitee.Email, WorkspaceRole.Admin);

        using var response = await intruderClient.AcceptInvitationAsync(link);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        var error = Assert.Single(page.FormErrors());
        Assert.StartsWith("This invitation was sent to another email address.", error, StringComparison.Ordinal);
        Assert.DoesNotContain(invitee.Email, page.DocumentElement.OuterHtml, StringComparison.OrdinalIgnoreCase);
        Assert.Null(await factory.RoleOfAsync(workspaceId, intruder.Email));
        Assert.Null(Assert.Single(await factory.InvitationsAsync(workspaceId)).AcceptedAt);
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.InvitationAccepted));

        using var rightful = await inviteeClient.AcceptInvitationAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, rightful.StatusCode);
        Assert.Equal(WorkspaceRole.Admin, await factory.RoleOfAsync(workspaceId, invitee.Email));
        owner.Dispose();
        inviteeClient.Dispose();
        intruderClient.Dispose();
    }

    [Fact]
    public async Task NewerInvitationToTheSameEmail_VoidsTheOlderLink()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Second Thoughts");
        var (invitee, inviteeClient) = await factory.SignedInUserAsync();
        var older = await factory.InviteAsync(owner, workspaceId, invitee.Email, WorkspaceRole.Admin);
        var newer = await factory.InviteAsync(owner, workspaceId, invitee.Email.ToUpperInvariant(), WorkspaceRole.Viewer);
        Assert.NotEqual(older, newer);

        var invitations = await factory.InvitationsAsync(workspaceId);
        Assert.Equal(2, invitations.Count);
        Assert.NotNull(invitations[0].RevokedAt);
        Assert.Null(invitations[1].RevokedAt);
        using var viaOlder = await inviteeClient.PostDirectAsync(older);
        Assert.Equal(HttpStatusCode.BadRequest, viaOlder.StatusCode);
        Assert.Null(await factory.RoleOfAsync(workspaceId, invitee.Email));

        using var viaNewer = await inviteeClient.AcceptInvitationAsync(newer);
        Assert.Equal(HttpStatusCode.Redirect, viaNewer.StatusCode);
        Assert.Equal(WorkspaceRole.Viewer, await factory.RoleOfAsync(workspaceId, invitee.Email));
        owner.Dispose();
        inviteeClient.Dispose();
    }

    [Fact]
    public async Task InvitingAnExistingMember_IsRefused()
    {
        var (owner, ownerClient) = await factory.SignedInUserAsync();
        var workspaceId = await ownerClient.CreateWorkspaceAsync("Already In");
        var (member, _) = await factory.MemberAsync(ownerClient, workspaceId, WorkspaceRole.Editor);
        var invitationsBefore = (await factory.InvitationsAsync(workspaceId)).Count;
        var mailsBefore = factory.Mailbox.To(member.Email).Count;

        using var response = await ownerClient.SendInvitationAsync(workspaceId, $"  {member.Email.ToUpperInvariant()} ", WorkspaceRole.Admin);
        using var self = await ownerClient.SendInvitationAsync(workspaceId, owner.Email, WorkspaceRole.Viewer);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal($"{member.Email.ToUpperInvariant()} is already a member of this workspace.", page.FieldError("Invite.Email"));
        var selfPage = await PortalClient.ReadPageAsync(self, HttpStatusCode.BadRequest);
        Assert.Equal($"{owner.Email} is already a member of this workspace.", selfPage.FieldError("Invite.Email"));
        Assert.Equal(invitationsBefore, (await factory.InvitationsAsync(workspaceId)).Count);
        Assert.Equal(mailsBefore, factory.Mailbox.To(member.Email).Count);
        Assert.Equal(WorkspaceRole.Editor, await factory.RoleOfAsync(workspaceId, member.Email));
        ownerClient.Dispose();
    }

    [Theory]
    [InlineData("")]
    [InlineData("not-an-email")]
    public async Task InvitingAnInvalidAddress_ShowsTheErrorNextToTheField(string email)
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Typos");

        using var response = await owner.SendInvitationAsync(workspaceId, email, WorkspaceRole.Viewer);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.NotNull(page.FieldError("Invite.Email"));
        Assert.Empty(await factory.InvitationsAsync(workspaceId));
        owner.Dispose();
    }

    [Fact]
    public async Task InvitationToken_IsStoredOnlyAsItsSha256Hash()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Hashed");
        var link = await factory.InviteAsync(owner, workspaceId, Intents.NewEmail("hash"), WorkspaceRole.Editor);
        var token = WorkspaceFacts.TokenOf(link);

        var invitation = Assert.Single(await factory.InvitationsAsync(workspaceId));

        Assert.True(token.Length >= 43, $"The token '{token}' is shorter than 256 bits.");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))), invitation.TokenHash);
        Assert.DoesNotContain(await factory.AuditEventsAsync(workspaceId), e => e.Summary.Contains(token, StringComparison.Ordinal));
        // Nowhere in the database either: in no table, and for SQLite in no byte of its files (the WAL included).
        Assert.DoesNotContain((await TestDatabase.DumpAsync(factory.Root)).Values, v => v.Contains(token, StringComparison.Ordinal));
        foreach (var file in Directory.GetFiles(factory.Root, "kryptos.db*"))
        {
            await using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var buffer = new MemoryStream();
            await stream.CopyToAsync(buffer);
            Assert.Equal(-1, buffer.ToArray().AsSpan().IndexOf(Encoding.UTF8.GetBytes(token)));
        }

        owner.Dispose();
    }

    [Fact]
    public async Task AnonymousVisitorOfTheLink_SeesTheWorkspaceNameAndLinksToLogInOrSignUp()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Open Door");
        var link = await factory.InviteAsync(owner, workspaceId, Intents.NewEmail("visitor"), WorkspaceRole.Editor);
        using var visitor = factory.NewClient();

        var page = await visitor.GetPageAsync(link);

        Assert.Equal("Join Open Door", page.Heading());
        Assert.Equal("editor", page.QuerySelector("main .badge")!.TextContent.Trim());
        var returnUrl = Uri.EscapeDataString(link);
        Assert.NotNull(page.QuerySelector($"main a[href='/account/login?returnUrl={returnUrl}']"));
        Assert.NotNull(page.QuerySelector($"main a[href='/account/signup?returnUrl={returnUrl}']"));
        Assert.Null(page.QuerySelector("main form"));
        owner.Dispose();
    }

    [Fact]
    public async Task UnknownInvitationLink_IsNotFound()
    {
        using var visitor = factory.NewClient();

        using var response = await visitor.Http.GetAsync(new Uri("/invitations/not-a-real-token", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var page = await PortalClient.ReadPageAsync(response);
        Assert.Equal("This invitation does not work", page.Heading());
    }

    private Task<bool> EmailConfirmedAsync(TestUser user) =>
        factory.WithDbAsync(db => db.Users.Where(u => u.Email == user.Email).Select(u => u.EmailConfirmed).SingleAsync());
}
