using AngleSharp.Html.Dom;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Portal.Members;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>What the database and the rendered pages say, read for assertions.</summary>
internal static class WorkspaceFacts
{
    public static Task<Workspace?> WorkspaceAsync(this KryptosFactory factory, Guid workspaceId) =>
        factory.WithDbAsync(db => db.Workspaces.AsNoTracking().SingleOrDefaultAsync(w => w.Id == workspaceId));

    /// <summary>The role of <paramref name="email"/> in the workspace, or null when not a member.</summary>
    public static Task<WorkspaceRole?> RoleOfAsync(this KryptosFactory factory, Guid workspaceId, string email) =>
        factory.WithDbAsync(db => db.WorkspaceMembers
            .Where(m => m.WorkspaceId == workspaceId && m.User.Email == email)
            .Select(m => (WorkspaceRole?)m.Role)
            .SingleOrDefaultAsync());

    public static Task<int> MemberCountAsync(this KryptosFactory factory, Guid workspaceId) =>
        factory.WithDbAsync(db => db.WorkspaceMembers.CountAsync(m => m.WorkspaceId == workspaceId));

    /// <summary>The workspace's audit events (of one action when given), oldest first.</summary>
    public static Task<List<AuditEvent>> AuditEventsAsync(this KryptosFactory factory, Guid workspaceId, string? action = null) =>
        factory.WithDbAsync(async db =>
        {
            var events = await db.AuditEvents.AsNoTracking()
                .Where(e => e.WorkspaceId == workspaceId && (action == null || e.Action == action))
                .ToListAsync();
            return events.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id).ToList();
        });

    /// <summary>Every invitation of the workspace, oldest first.</summary>
    public static Task<List<WorkspaceInvitation>> InvitationsAsync(this KryptosFactory factory, Guid workspaceId) =>
        factory.WithDbAsync(async db =>
        {
            var invitations = await db.WorkspaceInvitations.AsNoTracking().Where(i => i.WorkspaceId == workspaceId).ToListAsync();
            return invitations.OrderBy(i => i.CreatedAt).ThenBy(i => i.Id).ToList();
        });

    /// <summary>The token of an invitation link (its last path segment).</summary>
    public static string TokenOf(string link) => link.Split('/')[^1];

    /// <summary>The message shown next to <paramref name="field"/>, or null.</summary>
    public static string? FieldError(this IHtmlDocument page, string field) =>
        page.QuerySelector($"span[data-valmsg-for='{field}']")?.TextContent.Trim() is { Length: > 0 } text ? text : null;

    /// <summary>The errors listed above the form (those of no single field).</summary>
    public static List<string> FormErrors(this IHtmlDocument page) =>
        [.. page.QuerySelectorAll(".alert.error li").Select(li => li.TextContent.Trim())];

    public static string Heading(this IHtmlDocument page) => page.QuerySelector("main h1")?.TextContent.Trim() ?? "";
}
