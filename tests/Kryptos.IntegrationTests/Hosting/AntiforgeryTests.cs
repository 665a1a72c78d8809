using System.Net;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>Every form POST needs the antiforgery token of the same browser.</summary>
public sealed class AntiforgeryTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task LoginPostWithoutTheToken_Is400_AndLogsNobodyIn()
    {
        var user = await factory.SignUpAsync();
        using var client = factory.NewRawClient();
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
        });

        using var response = await client.PostAsync(new Uri("/account/login", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.False(response.Headers.Contains("Set-Cookie") && response.Headers.GetValues("Set-Cookie").Any(c => c.StartsWith("__Host-kryptos.session=", StringComparison.Ordinal)));
        Assert.Equal(0, await factory.SessionCountAsync((await factory.UserAsync(user.Email)).Id));
    }

    [Fact]
    public async Task LoginPostWithATokenFromAnotherBrowser_Is400()
    {
        var user = await factory.SignUpAsync();
        using var attacker = factory.NewClient();
        var attackerPage = await attacker.GetPageAsync("/account/login");
        var token = attackerPage.InputValue("__RequestVerificationToken");
        using var victim = factory.NewClient();
        var victimPage = await victim.GetPageAsync("/account/login"); // the victim has an antiforgery cookie of its own
        Assert.NotEqual(token, victimPage.InputValue("__RequestVerificationToken"));
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Input.Email"] = user.Email,
            ["Input.Password"] = user.Password,
            ["__RequestVerificationToken"] = token,
        });

        using var response = await victim.Http.PostAsync(new Uri("/account/login", UriKind.Relative), form);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task LogoutPostWithoutTheToken_Is400_AndKeepsTheSession()
    {
        var (_, client) = await factory.SignedInUserAsync();
        using (client)
        {
            using var empty = new FormUrlEncodedContent([]);

            using var response = await client.Http.PostAsync(new Uri("/account/logout", UriKind.Relative), empty);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            using var settings = await client.Http.GetAsync(new Uri("/account", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, settings.StatusCode);
        }
    }
}
