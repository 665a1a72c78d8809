using System.Net;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Hosting;

/// <summary>Data Protection keys live in the database, so sessions survive a restart (and reach other instances).</summary>
public sealed class DataProtectionPersistenceTests
{
    [Fact]
    public async Task SessionCookie_StillWorksAfterTheHostRestartsOnTheSameDatabase()
    {
        string root;
        string cookie;
        TestUser user;
        await using (var first = new KryptosFactory { DeleteRootOnDispose = false })
        {
            root = first.Root;
            PortalClient client;
            (user, client) = await first.SignedInUserAsync();
            using (client)
            {
                cookie = await client.CookieHeaderAsync();
            }

            Assert.True(await first.WithDbAsync(db => db.DataProtectionKeys.CountAsync()) > 0, "No Data Protection key is in the database.");
        }

        await using var restarted = new SameRootFactory(root);
        using var browser = restarted.NewRawClient();

        using var response = await browser.GetWithCookieAsync("/account", cookie);

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Contains(user.Email, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SessionCookie_IsRejectedAfterARestart_WhenTheDatabaseLostItsKeys()
    {
        // The control for the test above: the same data except the key ring, so only the keys
        // decide. (Were the keys kept anywhere else, such as the user profile, this would pass the cookie.)
        string root;
        string cookie;
        Guid userId;
        await using (var first = new KryptosFactory { DeleteRootOnDispose = false })
        {
            root = first.Root;
            var (user, client) = await first.SignedInUserAsync();
            using (client)
            {
                cookie = await client.CookieHeaderAsync();
            }

            userId = (await first.UserAsync(user.Email)).Id;
            Assert.True(await first.WithDbAsync(db => db.DataProtectionKeys.ExecuteDeleteAsync()) > 0);
        }

        await using var restarted = new SameRootFactory(root);
        Assert.Equal(1, await restarted.SessionCountAsync(userId)); // the session itself is still there
        using var browser = restarted.NewRawClient();

        using var response = await browser.GetWithCookieAsync("/account", cookie);

        AccountIntents.AssertRedirectsToLogin(response);
    }

    /// <summary>A second host on the data folder of a stopped one.</summary>
    private sealed class SameRootFactory(string root) : KryptosFactory(root);
}
