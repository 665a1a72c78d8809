using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Integrations;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Pages;
using Kryptos.IntegrationTests.Workspaces;

namespace Kryptos.IntegrationTests.Portfolio.Integrations;

/// <summary>Wallets and exchange accounts: added with their rules, listed, renamed, deleted with their transactions.</summary>
public sealed class IntegrationPageTests(PortfolioFactory factory) : IClassFixture<PortfolioFactory>
{
    [Fact]
    public async Task Owner_AddsAWalletAndAnExchangeAccount_AndSeesThemListed()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Books");

        using var wallet = await client.SubmitWalletAsync(workspaceId, "ethereum", PortfolioIntents.EvmAddress, "Cold ETH", "ledger");
        client.AssertStatus(HttpStatusCode.Redirect, wallet);
        using var exchange = await client.SubmitExchangeAsync(workspaceId, "kraken");
        client.AssertStatus(HttpStatusCode.Redirect, exchange);

        var stored = (await factory.IntegrationsAsync(workspaceId)).OrderBy(i => i.Name).ToList();
        Assert.Equal(2, stored.Count);
        Assert.Equal(("Cold ETH", IntegrationKind.Wallet, "ledger", "ethereum", PortfolioIntents.EvmAddress, SyncStatus.Pending),
            (stored[0].Name, stored[0].Kind, stored[0].ProviderId, stored[0].Chain, stored[0].Address, stored[0].SyncStatus));
        Assert.Equal(("Kraken", IntegrationKind.Exchange, "kraken", (string?)null), (stored[1].Name, stored[1].Kind, stored[1].ProviderId, stored[1].Address));
        Assert.Equal(2, factory.InvalidationsOf(workspaceId));

        var page = await client.GetPageAsync($"/workspaces/{workspaceId}/portfolio/integrations");
        var rows = page.QuerySelectorAll("main table tbody tr").Select(r => r.QuerySelectorAll("td").Select(c => c.TextContent.Trim()).ToList()).ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(["Cold ETH", "Ledger", "Wallet", $"ethereum: {PortfolioIntents.EvmAddress}", "Pending", "0"], rows[0]);
        Assert.Equal(["Kraken", "Kraken", "Exchange", "—", "Pending", "0"], rows[1]);
        client.Dispose();
    }

    [Theory]
    [InlineData("ethereum", "0x5290840009852788", "0x followed by 40 hexadecimal")]
    [InlineData("ethereum", "52908400098527886E0F7030069857D2E4169EE7", "0x followed by 40 hexadecimal")]
    [InlineData("polygon", "0xZZ908400098527886E0F7030069857D2E4169EE7", "0x followed by 40 hexadecimal")]
    [InlineData("bitcoin", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwfO", "A Bitcoin address starts with bc1")]
    [InlineData("bitcoin", "0x52908400098527886E0F7030069857D2E4169EE7", "A Bitcoin address starts with bc1")]
    [InlineData("solana", "0OIl", "32 to 44 base58")]
    [InlineData("solana", "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV0", "32 to 44 base58")]
    [InlineData("cardano", "addr2xyz", "addr1")]
    [InlineData("dogecoin", "D7Y55Lk", "Choose a chain")]
    public async Task AddressOfTheWrongShape_IsRefusedWithAMessage(string chain, string address, string message)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Shapes");

        using var response = await client.SubmitWalletAsync(workspaceId, chain, address);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await PortalClient.ReadPageAsync(response);
        Assert.Contains(message, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await factory.IntegrationsAsync(workspaceId));
        client.Dispose();
    }

    [Theory]
    [InlineData("bitcoin", "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq")]
    [InlineData("bitcoin", "BC1QAR0SRRR7XFKVY5L643LYDNW9RE59GTZZWF5MDQ")]
    [InlineData("bitcoin", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2")]
    [InlineData("bitcoin", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy")]
    [InlineData("solana", "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV")]
    [InlineData("base", "0x52908400098527886e0f7030069857d2e4169ee7")]
    [InlineData("cardano", "addr1qx2fxv2umyhttkxyxp8x0dlpdt3k6cwng5pxj3jhsydzer3n0d3vllmyqwsx5wktcd8cc3sq835lu7drv2xwl2wywfgse35a3x")]
    public async Task PublicAddressOfEachChain_IsAccepted(string chain, string address)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Chains");

        using var response = await client.SubmitWalletAsync(workspaceId, chain, address);

        client.AssertStatus(HttpStatusCode.Redirect, response);
        var wallet = Assert.Single(await factory.IntegrationsAsync(workspaceId));
        // Bech32 is case-insensitive: stored lower case.
        Assert.Equal(address.StartsWith("BC1", StringComparison.Ordinal) ? address.ToLowerInvariant() : address, wallet.Address);
        client.Dispose();
    }

    [Theory]
    [InlineData("ethereum", "abandon ability able about above absent absorb abstract absurd abuse access accident")]
    [InlineData("ethereum", "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")]
    [InlineData("ethereum", "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318")]
    [InlineData("bitcoin", "L1aW4aubDFB7yfras2S1mN3bqg9nwySY8nkoLmJebSLD5BWv3ENZ")]
    [InlineData("bitcoin", "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi")]
    [InlineData("solana", "4Z7cXSyeFR8wNGMVXUE1TwtKn5D5Vu7FzEv69dokLv7KrQk7h6pu4LF8ZRR9yQBhc7uSM6RTTZtU1fmaxiNrxXrs")]
    public async Task SomethingThatLooksLikeASecret_IsRefused_NotStored_AndNotEchoed(string chain, string secret)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Secrets");

        using var response = await client.SubmitWalletAsync(workspaceId, chain, secret);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("looks like a private key or a recovery phrase", html, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        Assert.Empty(await factory.IntegrationsAsync(workspaceId));
        Assert.DoesNotContain(factory.Logs.Messages, m => m.Contains(secret, StringComparison.Ordinal));
        client.Dispose();
    }

    [Fact]
    public async Task UnknownExchange_DuplicateName_AndDuplicateWallet_AreRefused()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Rules");
        await factory.AddExchangeAsync(client, workspaceId, "Main");

        using var unknown = await client.SubmitExchangeAsync(workspaceId, "ftx");
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Contains("Choose an exchange from the list.", (await PortalClient.ReadPageAsync(unknown)).QuerySelector("[data-valmsg-for='Exchange.ProviderId']")!.TextContent, StringComparison.Ordinal);

        using var sameName = await client.SubmitExchangeAsync(workspaceId, "coinbase", "main");
        Assert.Equal(HttpStatusCode.BadRequest, sameName.StatusCode);
        Assert.Contains("already has this name", await sameName.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var first = await client.SubmitWalletAsync(workspaceId, "ethereum", PortfolioIntents.EvmAddress);
        client.AssertStatus(HttpStatusCode.Redirect, first);
        using var again = await client.SubmitWalletAsync(workspaceId, "ethereum", PortfolioIntents.EvmAddress, "Other name");
        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already in the workspace", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var wrongWallet = await client.SubmitWalletAsync(workspaceId, "solana", "7EcDhSYGxXyscszYEp35KHN8vvw3svAuLKTzXwCFLtV", provider: "metamask");
        Assert.Equal(HttpStatusCode.BadRequest, wrongWallet.StatusCode);
        Assert.Contains("Choose a wallet that holds Solana", await wrongWallet.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(2, (await factory.IntegrationsAsync(workspaceId)).Count);
        client.Dispose();
    }

    [Fact]
    public async Task Rename_ChangesTheName_AndDelete_NeedsTheNameTyped_ThenRemovesItsTransactions_AllAudited()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Cleanup");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var other = await factory.AddExchangeAsync(client, workspaceId, "Coinbase", "coinbase");
        await factory.InsertBuyAsync(workspaceId, kraken, "BTC", 1, 40000);
        await factory.InsertBuyAsync(workspaceId, kraken, "ETH", 2, 2000);
        await factory.InsertBuyAsync(workspaceId, other, "SOL", 10, 100);
        var details = $"/workspaces/{workspaceId}/portfolio/integrations/{kraken}";

        using var rename = await client.SubmitAsync(details, new Dictionary<string, string> { ["Name"] = "Kraken Pro" }, "form[action*='handler=Rename']");
        client.AssertStatus(HttpStatusCode.Redirect, rename);
        Assert.Equal("Kraken Pro", (await factory.IntegrationsAsync(workspaceId)).Single(i => i.Id == kraken).Name);

        var page = await client.GetPageAsync(details);
        Assert.Contains("2 transaction(s)", page.QuerySelector("section.danger")!.TextContent, StringComparison.Ordinal);
        using var unconfirmed = await client.SubmitAsync(details, new Dictionary<string, string> { ["DeleteConfirmation"] = "Kraken" }, "form[action*='handler=Delete']");
        Assert.Equal(HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Equal(2, (await factory.IntegrationsAsync(workspaceId)).Count);

        using var confirmed = await client.SubmitAsync(details, new Dictionary<string, string> { ["DeleteConfirmation"] = "Kraken Pro" }, "form[action*='handler=Delete']");
        client.AssertStatus(HttpStatusCode.Redirect, confirmed);
        Assert.Equal([other], (await factory.IntegrationsAsync(workspaceId)).Select(i => i.Id));
        var left = Assert.Single(await factory.TransactionsAsync(workspaceId));
        Assert.Equal("SOL", left.Lines.Single(l => l.Direction == Connect.Portfolio.Transactions.LineDirection.In).Asset);

        // Each change is in the workspace's audit log, with who made it.
        var audit = (await factory.AuditEventsAsync(workspaceId)).Where(e => e.Action.StartsWith("portfolio.", StringComparison.Ordinal)).ToList();
        Assert.Equal([
            (AuditActions.IntegrationAdded, "Added the exchange account \"Kraken\""),
            (AuditActions.IntegrationAdded, "Added the exchange account \"Coinbase\""),
            (AuditActions.IntegrationRenamed, "Renamed the account \"Kraken\" to \"Kraken Pro\""),
            (AuditActions.IntegrationDeleted, "Deleted the account \"Kraken Pro\" and its 2 transaction(s)"),
        ], audit.Select(e => (e.Action, e.Summary)));
        Assert.All(audit, e => Assert.Equal(user.Email, e.ActorEmail));
        var log = await client.GetPageAsync($"/workspaces/{workspaceId}/audit");
        Assert.Contains("Deleted the account \"Kraken Pro\" and its 2 transaction(s)", log.QuerySelector("main table")!.TextContent, StringComparison.Ordinal);
        client.Dispose();
    }

    [Fact]
    public async Task Viewer_SeesTheAccounts_ButAddingRenamingOrDeletingIsForbidden()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Read Only");
        var kraken = await factory.AddExchangeAsync(owner, workspaceId, "Kraken");
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);

        var page = await viewer.GetPageAsync($"/workspaces/{workspaceId}/portfolio/integrations");
        Assert.Null(page.QuerySelector("form[action*='handler=Wallet']"));
        using var add = await viewer.PostDirectAsync($"/workspaces/{workspaceId}/portfolio/integrations?handler=Exchange", [new("Exchange.ProviderId", "coinbase")]);
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        using var rename = await viewer.PostDirectAsync($"/workspaces/{workspaceId}/portfolio/integrations/{kraken}?handler=Rename", [new("Name", "Mine")]);
        Assert.Equal(HttpStatusCode.Forbidden, rename.StatusCode);
        using var delete = await viewer.PostDirectAsync($"/workspaces/{workspaceId}/portfolio/integrations/{kraken}?handler=Delete", [new("DeleteConfirmation", "Kraken")]);
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal("Kraken", Assert.Single(await factory.IntegrationsAsync(workspaceId)).Name);
        owner.Dispose();
        viewer.Dispose();
    }

    [Fact]
    public async Task NonMember_And_AnotherWorkspacesAccount_Are404()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Private");
        var kraken = await factory.AddExchangeAsync(owner, workspaceId, "Kraken");
        var (_, stranger) = await factory.SignedInUserAsync();
        var strangersWorkspace = await stranger.CreateWorkspaceAsync("Elsewhere");

        using var list = await stranger.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/integrations", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        using var details = await stranger.Http.GetAsync(new Uri($"/workspaces/{strangersWorkspace}/portfolio/integrations/{kraken}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, details.StatusCode);
        using var delete = await stranger.PostDirectAsync($"/workspaces/{strangersWorkspace}/portfolio/integrations/{kraken}?handler=Delete", [new("DeleteConfirmation", "Kraken")]);
        Assert.Equal(HttpStatusCode.NotFound, delete.StatusCode);
        Assert.Single(await factory.IntegrationsAsync(workspaceId));
        owner.Dispose();
        stranger.Dispose();
    }
}
