using System.Net;
using Kryptos.Connect.Portal.Workspaces;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Infrastructure;

public sealed record TestUser(string Email, string Password, string Name);

/// <summary>
/// What a test wants to happen, said in the product's words (bitwarden's "intent" helpers).
/// Each helper goes through the real pages and forms and asserts only that its step worked.
/// </summary>
public static class Intents
{
    public const string DefaultPassword = "correct horse battery staple";

    public static string NewEmail(string prefix = "user") => $"{prefix}-{Guid.NewGuid():N}@example.com";

    public static async Task<TestUser> SignUpAsync(this KryptosFactory factory, string? email = null, string password = DefaultPassword, string name = "Ada Lovelace")
    {
        ArgumentNullException.ThrowIfNull(factory);
        var user = new TestUser(email ?? NewEmail(), password, name);
        using var client = factory.NewClient();
        using var response = await client.SubmitAsync("/account/signup", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = user.Name,
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/check-email", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
        return user;
    }

    public static async Task VerifyEmailAsync(this KryptosFactory factory, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(user);
        using var client = factory.NewClient();
        var page = await client.GetPageAsync(factory.Mailbox.LinkTo(user.Email, "/account/confirm-email"));
        Assert.Contains("Email verified", page.QuerySelector("h1")!.TextContent, StringComparison.Ordinal);
    }

    public static async Task<PortalClient> LoginAsync(this KryptosFactory factory, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(user);
        var client = factory.NewClient();
        using var response = await client.LoginAsync(user);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return client;
    }

    public static Task<HttpResponseMessage> LoginAsync(this PortalClient client, TestUser user, string url = "/account/login")
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(user);
        return client.SubmitAsync(url, new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
        });
    }

    /// <summary>Signs up, verifies the email (unless told not to) and logs in.</summary>
    public static async Task<(TestUser User, PortalClient Client)> SignedInUserAsync(this KryptosFactory factory, bool verified = true, string? email = null)
    {
        var user = await factory.SignUpAsync(email);
        if (verified)
        {
            await factory.VerifyEmailAsync(user);
        }

        return (user, await factory.LoginAsync(user));
    }

    public static async Task<Guid> CreateWorkspaceAsync(this PortalClient client, string name = "Acme Tax", string description = "")
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.SubmitAsync("/workspaces/new", new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.Description"] = description,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return Guid.Parse(response.Headers.Location!.OriginalString.Split('/').Last());
    }

    /// <summary>Invites <paramref name="email"/> and returns the link of the invitation mail.</summary>
    public static async Task<string> InviteAsync(this KryptosFactory factory, PortalClient inviter, Guid workspaceId, string email, WorkspaceRole role)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(inviter);
        using var response = await inviter.SubmitAsync($"/workspaces/{workspaceId}/members", new Dictionary<string, string>
        {
            ["Invite.Email"] = email,
            ["Invite.Role"] = role.ToString(),
        }, "form[action*='handler=Invite']");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return factory.Mailbox.LinkTo(email, "/invitations/");
    }

    public static async Task<HttpResponseMessage> AcceptInvitationAsync(this PortalClient client, string link)
    {
        ArgumentNullException.ThrowIfNull(client);
        return await client.SubmitAsync(link);
    }

    /// <summary>A new, verified, signed-in member of <paramref name="workspaceId"/> with <paramref name="role"/>.</summary>
    public static async Task<(TestUser User, PortalClient Client)> MemberAsync(this KryptosFactory factory, PortalClient owner, Guid workspaceId, WorkspaceRole role)
    {
        var (user, client) = await factory.SignedInUserAsync();
        var link = await factory.InviteAsync(owner, workspaceId, user.Email, role);
        using var response = await client.AcceptInvitationAsync(link);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return (user, client);
    }

    public static Task<Guid> PersonalWorkspaceIdAsync(this KryptosFactory factory, TestUser user) =>
        factory.WithDbAsync(db => db.WorkspaceMembers
            .Where(m => m.User.Email == user.Email && m.Workspace.IsPersonal)
            .Select(m => m.WorkspaceId)
            .SingleAsync());
}
