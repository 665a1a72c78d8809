using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Oidc;
using static Kryptos.IntegrationTests.ConnectApi.ApiIntents;

namespace Kryptos.IntegrationTests.ConnectApi.Portfolio;

/// <summary>
/// The scope matrix: for each scope, an app holding only that scope (and <c>openid</c>) reads exactly
/// the endpoints of that scope and gets 403 <c>insufficient_scope</c> naming the needed scope everywhere
/// else; <c>/v1/providers</c> needs no token at all.
/// </summary>
public sealed class ScopeMatrixTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    /// <summary>Every resource of the contract and the scope it needs.</summary>
    public static readonly (string Path, string Scope)[] Endpoints =
    [
        ("/v1/users/me", "users:read"),
        ("/v1/workspace", "workspace:read"),
        ("/v1/portfolios", "portfolios:read"),
        ("/v1/holdings", "portfolios:read"),
        ("/v1/transactions", "transactions:read"),
        ("/v1/transactions/00000000-0000-0000-0000-000000000001", "transactions:read"),
        ("/v1/integrations", "integrations:read"),
        ("/v1/tax/2025/summary", "tax:read"),
        ("/v1/tax/2025/disposals", "tax:read"),
        ("/v1/ledgers", "accounting:read"),
        ("/v1/reports", "reports:read"),
        ("/v1/reports/00000000-0000-0000-0000-000000000001", "reports:read"),
        ("/v1/reports/00000000-0000-0000-0000-000000000001/download", "reports:read"),
    ];

    public static TheoryData<string> Scopes => [.. Endpoints.Select(e => e.Scope).Distinct()];

    [Theory]
    [MemberData(nameof(Scopes))]
    public async Task AToken_ReadsOnlyWhatItsScopeAllows(string scope)
    {
        var app = await factory.ConnectAppAsync("openid " + scope);
        using var http = factory.Backchannel();

        foreach (var (path, needed) in Endpoints)
        {
            using var response = await http.GetApiAsync(path, app.AccessToken);
            if (needed == scope)
            {
                // Allowed: 200, or 404 for the made-up ids, but never a refusal of the token or scope.
                Assert.True(
                    response.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound,
                    $"{path} with {scope}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }
            else
            {
                var problem = await ProblemAsync(response, HttpStatusCode.Forbidden, "insufficient_scope");
                var challenge = response.Headers.WwwAuthenticate.ToString();
                Assert.Contains("error=\"insufficient_scope\"", challenge, StringComparison.Ordinal);
                Assert.Contains($"scope=\"{needed}\"", challenge, StringComparison.Ordinal);
                Assert.Contains(needed, problem.GetRawText(), StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task WithoutAToken_EveryEndpointIs401_ButTheProviderCatalogueIsPublic()
    {
        using var http = factory.Backchannel();

        foreach (var (path, _) in Endpoints)
        {
            using var response = await http.GetApiAsync(path, accessToken: null);
            await ProblemAsync(response, HttpStatusCode.Unauthorized, "unauthorized");
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        }
    }
}
