using System.Text.Json;
using Kryptos.Connect.Data;
using Microsoft.EntityFrameworkCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization.Grants;

/// <summary>An app connected to a workspace by one person: a valid grant, described for a page.</summary>
public sealed record ConnectedApp(
    string GrantId,
    string AppName,
    string ClientId,
    string Publisher,
    Guid WorkspaceId,
    string Workspace,
    Guid GrantedByUserId,
    string GrantedBy,
    IReadOnlyList<string> Scopes,
    DateTimeOffset? GrantedAt,
    DateTimeOffset? LastUsedAt);

/// <summary>The valid grants of one person (their connected apps) or on one workspace (its connected apps).</summary>
public sealed class GrantDirectory(KryptosDbContext db)
{
    public Task<List<ConnectedApp>> ListForUserAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        var subject = userId.ToString();
        return ListAsync(db.OAuthGrants.Where(g => g.Subject == subject), cancellationToken);
    }

    public Task<List<ConnectedApp>> ListForWorkspaceAsync(Guid workspaceId, CancellationToken cancellationToken = default) =>
        ListAsync(db.OAuthGrants.Where(g => g.WorkspaceId == workspaceId), cancellationToken);

    private async Task<List<ConnectedApp>> ListAsync(IQueryable<OAuthGrant> grants, CancellationToken cancellationToken)
    {
        var rows = await grants
            .Where(g => g.Status == Statuses.Valid && g.WorkspaceId != null)
            .Join(db.Workspaces, g => g.WorkspaceId, w => w.Id, (g, w) => new { Grant = g, Workspace = w })
            .Select(r => new
            {
                r.Grant.Id,
                r.Grant.Subject,
                r.Grant.Scopes,
                r.Grant.CreationDate,
                r.Grant.LastUsedAt,
                WorkspaceId = r.Workspace.Id,
                WorkspaceName = r.Workspace.Name,
                AppName = r.Grant.Application!.DisplayName,
                r.Grant.Application.ClientId,
                Publisher = db.Workspaces.Where(p => p.Id == r.Grant.Application.WorkspaceId).Select(p => p.Name).FirstOrDefault(),
            })
            .ToListAsync(cancellationToken);
        var subjects = rows.Select(r => Guid.TryParse(r.Subject, out var id) ? id : Guid.Empty).Distinct().ToList();
        var people = await db.Users.Where(u => subjects.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email })
            .ToDictionaryAsync(u => u.Id, cancellationToken);
        return [.. rows
            .Select(r =>
            {
                var userId = Guid.TryParse(r.Subject, out var id) ? id : Guid.Empty;
                var grantedBy = people.TryGetValue(userId, out var person) ? $"{person.DisplayName} ({person.Email})" : "(deleted account)";
                return new ConnectedApp(r.Id!, r.AppName ?? "(unnamed app)", r.ClientId ?? "", r.Publisher ?? "", r.WorkspaceId, r.WorkspaceName,
                    userId, grantedBy, string.IsNullOrEmpty(r.Scopes) ? [] : JsonSerializer.Deserialize<List<string>>(r.Scopes) ?? [],
                    r.CreationDate, r.LastUsedAt);
            })
            .OrderByDescending(a => a.LastUsedAt ?? a.GrantedAt)];
    }
}
