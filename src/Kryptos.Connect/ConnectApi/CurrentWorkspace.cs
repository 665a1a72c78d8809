using Kryptos.Connect.Authorization.ApiAccess;

namespace Kryptos.Connect.ConnectApi;

/// <summary>
/// The workspace a Connect API request reads, and the user who granted it, both from the access
/// token (<c>kryptos_workspace</c>, <c>sub</c>). Clients never pass a workspace id: every query of a
/// handler filters by <see cref="WorkspaceId"/>, so another workspace's data is out of reach.
/// </summary>
public sealed record CurrentWorkspace(Guid WorkspaceId, Guid UserId, IReadOnlySet<string> Scopes)
{
    public bool HasScope(string scope) => Scopes.Contains(scope);

    /// <summary>Bound by minimal APIs from the caller the bearer handler authenticated.</summary>
    public static ValueTask<CurrentWorkspace?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caller = context.Features.Get<ApiCaller>()
            ?? throw new InvalidOperationException("CurrentWorkspace is only available on endpoints that require a scope policy.");
        return ValueTask.FromResult<CurrentWorkspace?>(new CurrentWorkspace(caller.WorkspaceId, caller.UserId, caller.Scopes));
    }
}
