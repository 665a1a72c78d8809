using Kryptos.Connect.Portfolio.Providers;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kryptos.Connect.ConnectApi.Providers;

/// <param name="Id">Stable id, used by integrations (<c>kraken</c>, <c>ethereum</c> …).</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind"><c>exchange</c>, <c>wallet</c>, <c>chain</c> or <c>file</c> (CSV in the Kryptos format).</param>
/// <param name="Website">The provider's website, when it has one.</param>
/// <param name="Chains">For a wallet, the chains it holds; for a chain, itself; empty otherwise.</param>
/// <param name="NativeAsset">For a chain, its own asset, which pays its fees.</param>
public sealed record ProviderView(string Id, string Name, string Kind, Uri? Website, IReadOnlyList<string> Chains, string? NativeAsset);

/// <summary><c>GET /v1/providers</c>: the catalogue of supported exchanges, wallets and chains. Public: no token.</summary>
public static class ProvidersEndpoints
{
    private static readonly string[] Kinds = [.. Enum.GetNames<ProviderKind>().Select(k => k.ToLowerInvariant())];

    public static RouteGroupBuilder MapProviders(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        var providers = v1.MapGroup("/providers").WithTags("Providers").AllowAnonymous();
        providers.MapGet("", ListProviders)
            .WithPaging()
            .WithName("ListProviders")
            .WithSummary("Supported exchanges, wallets and chains")
            .WithDescription("The catalogue of providers an integration can connect to. Public: no access token is needed. Filter with `kind`.")
            .WithExample(new ListEnvelope<ProviderView>(
                [new ProviderView("ethereum", "Ethereum", "chain", new Uri("https://ethereum.org"), ["ethereum"], "ETH")],
                new Pagination(1, 0, 20, true)));
        return v1;
    }

    /// <param name="page">Paging (<c>limit</c>, <c>offset</c>).</param>
    /// <param name="kind">Only providers of this kind: <c>exchange</c>, <c>wallet</c>, <c>chain</c> or <c>file</c>.</param>
    public static Results<Ok<ListEnvelope<ProviderView>>, ProblemHttpResult> ListProviders(PageRequest page, string? kind = null)
    {
        ArgumentNullException.ThrowIfNull(page);
        IEnumerable<Provider> matching = ProviderCatalogue.All;
        if (kind is not null)
        {
            if (!Kinds.Contains(kind, StringComparer.Ordinal))
            {
                return ApiProblems.BadRequest("invalid_kind", $"kind must be one of: {string.Join(", ", Kinds)}.");
            }

            matching = matching.Where(p => p.Kind.ToString().Equals(kind, StringComparison.OrdinalIgnoreCase));
        }

        var all = matching.ToList();
        var items = page.Apply(all)
            .Select(p => new ProviderView(p.Id, p.Name, p.Kind.ToString().ToLowerInvariant(),
                p.Website is null ? null : new Uri(p.Website), p.Chains, p.NativeAsset))
            .ToList();
        return TypedResults.Ok(ListEnvelope.Create(items, page, all.Count));
    }
}
