using Kryptos.Connect.Hosting.Pruning;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// OpenIddict's own pruning of the token table: tokens created before the retention threshold that
/// are redeemed, revoked or otherwise no longer valid, expired, or belong to a grant that is no
/// longer valid. Runs before <see cref="OAuthGrantPruner"/>, as OpenIddict's own scheduler does, so a
/// grant goes after its tokens.
/// </summary>
internal sealed class OAuthTokenPruner(IOpenIddictTokenManager tokens, IOptions<PruningOptions> options) : IPruner
{
    public string Name => "OAuth tokens";

    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (int)Math.Min(int.MaxValue, await tokens.PruneAsync(now - options.Value.OAuthRetention, cancellationToken));
}

/// <summary>
/// OpenIddict's own pruning of the grant table: grants created before the retention threshold that
/// are revoked (or otherwise not valid), and ad-hoc grants without tokens left. A remembered consent
/// (a permanent grant that is still valid) is never removed.
/// </summary>
internal sealed class OAuthGrantPruner(IOpenIddictAuthorizationManager grants, IOptions<PruningOptions> options) : IPruner
{
    public string Name => "OAuth grants";

    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        (int)Math.Min(int.MaxValue, await grants.PruneAsync(now - options.Value.OAuthRetention, cancellationToken));
}
