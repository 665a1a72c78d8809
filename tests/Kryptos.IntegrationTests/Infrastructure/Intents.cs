using System.Net;
using Kryptos.Connect.Core.Workspaces;
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

    public static Task<Guid> UserIdAsync(this KryptosFactory factory, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(user);
        return factory.WithDbAsync(db => db.Users.Where(u => u.Email == user.Email).Select(u => u.Id).SingleAsync());
    }

    /// <summary>Submits the settings form of <paramref name="workspaceId"/>; fields not given keep the values the page shows.</summary>
    public static Task<HttpResponseMessage> UpdateSettingsAsync(this PortalClient client, Guid workspaceId, IReadOnlyDictionary<string, string> fields)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync($"/workspaces/{workspaceId}/settings", fields, "main form:not([action])");
    }

    /// <summary>Submits the delete form of the settings page with <paramref name="confirmation"/> typed in.</summary>
    public static Task<HttpResponseMessage> DeleteWorkspaceAsync(this PortalClient client, Guid workspaceId, string confirmation)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync($"/workspaces/{workspaceId}/settings", new Dictionary<string, string>
        {
            ["DeleteConfirmation"] = confirmation,
        }, "form[action*='handler=Delete']");
    }

    public static Task<HttpResponseMessage> LeaveWorkspaceAsync(this PortalClient client, Guid workspaceId)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync($"/workspaces/{workspaceId}/settings", formSelector: "form[action*='handler=Leave']");
    }

    /// <summary>Submits the invite form and returns the answer, whatever it is (see <see cref="InviteAsync"/> for the happy path).</summary>
    public static Task<HttpResponseMessage> SendInvitationAsync(this PortalClient inviter, Guid workspaceId, string email, WorkspaceRole role)
    {
        ArgumentNullException.ThrowIfNull(inviter);
        return inviter.SubmitAsync($"/workspaces/{workspaceId}/members", new Dictionary<string, string>
        {
            ["Invite.Email"] = email,
            ["Invite.Role"] = role.ToString(),
        }, "form[action*='handler=Invite']");
    }

    /// <summary>Picks <paramref name="role"/> in the member's row of the members page and submits it.</summary>
    public static Task<HttpResponseMessage> ChangeRoleAsync(this PortalClient client, Guid workspaceId, Guid memberId, WorkspaceRole role) =>
        client.SubmitRowFormAsync($"/workspaces/{workspaceId}/members", "ChangeRole", "memberId", memberId, new Dictionary<string, string>
        {
            ["role"] = role.ToString(),
        });

    /// <summary>Presses "Remove" in the member's row of the members page.</summary>
    public static Task<HttpResponseMessage> RemoveMemberAsync(this PortalClient client, Guid workspaceId, Guid memberId) =>
        client.SubmitRowFormAsync($"/workspaces/{workspaceId}/members", "Remove", "memberId", memberId);

    /// <summary>Presses "Revoke" in the invitation's row of the members page.</summary>
    public static Task<HttpResponseMessage> RevokeInvitationAsync(this PortalClient client, Guid workspaceId, Guid invitationId) =>
        client.SubmitRowFormAsync($"/workspaces/{workspaceId}/members", "Revoke", "invitationId", invitationId);

    /// <summary>
    /// POSTs <paramref name="fields"/> to <paramref name="url"/> with a valid antiforgery token but no form to fill:
    /// the hand-crafted request of someone calling an action the page does not offer them.
    /// </summary>
    public static async Task<HttpResponseMessage> PostDirectAsync(this PortalClient client, string url, IEnumerable<KeyValuePair<string, string>>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetPageAsync("/workspaces");
        var token = page.QuerySelector("input[name='__RequestVerificationToken']")?.GetAttribute("value")
            ?? throw new InvalidOperationException("/workspaces rendered no antiforgery token.");
        var values = new List<KeyValuePair<string, string>> { new("__RequestVerificationToken", token) };
        values.AddRange(fields ?? []);
        using var content = new FormUrlEncodedContent(values);
        return await client.Http.PostAsync(new Uri(url, UriKind.Relative), content);
    }

    private static async Task<HttpResponseMessage> SubmitRowFormAsync(
        this PortalClient client, string pageUrl, string handler, string idField, Guid id, IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        var page = await client.GetPageAsync(pageUrl);
        var form = page.QuerySelectorAll($"form[action*='handler={handler}']")
            .FirstOrDefault(f => f.QuerySelector($"input[name='{idField}']")?.GetAttribute("value") == id.ToString())
            ?? throw new InvalidOperationException($"{pageUrl} shows no {handler} form for {id}.");
        form.SetAttribute("data-intent-target", "");
        return await client.SubmitAsync(page, pageUrl, fields, "form[data-intent-target]");
    }
}
