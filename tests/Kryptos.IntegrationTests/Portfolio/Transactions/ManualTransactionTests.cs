using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.Connect.Portfolio.Transactions;
using Kryptos.IntegrationTests.Infrastructure;
using Kryptos.IntegrationTests.Portfolio.Pages;
using Kryptos.IntegrationTests.Workspaces;

namespace Kryptos.IntegrationTests.Portfolio.Transactions;

/// <summary>Adding, editing and deleting a transaction by hand, through the server-rendered form.</summary>
public sealed class ManualTransactionTests(PortfolioFactory factory) : IClassFixture<PortfolioFactory>
{
    private static Dictionary<string, string> Buy(Guid account, string quantity = "0.5", string price = "40000") => new()
    {
        ["Input.Type"] = "Trade",
        ["Input.Label"] = "Buy",
        ["Input.OccurredAt"] = "2024-03-01T14:30:00",
        ["Input.IntegrationId"] = account.ToString(),
        ["Input.CounterpartIntegrationId"] = "",
        ["Input.Description"] = "First bitcoin",
        ["Input.Lines[0].Direction"] = "In",
        ["Input.Lines[0].Asset"] = "btc",
        ["Input.Lines[0].Quantity"] = quantity,
        ["Input.Lines[0].UnitPrice"] = price,
        ["Input.Lines[1].Direction"] = "Out",
        ["Input.Lines[1].Asset"] = "USD",
        ["Input.Lines[1].Quantity"] = "20000",
        ["Input.Lines[1].UnitPrice"] = "1",
        ["Input.Lines[2].Direction"] = "Fee",
        ["Input.Lines[2].Asset"] = "USD",
        ["Input.Lines[2].Quantity"] = "10",
        ["Input.Lines[2].UnitPrice"] = "",
    };

    [Fact]
    public async Task Owner_AddsATradeWithInOutAndFeeLines_AndSeesItInTheList()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Manual");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var before = factory.InvalidationsOf(workspaceId);

        using var response = await client.SubmitAsync($"/workspaces/{workspaceId}/portfolio/transactions/new", Buy(kraken));

        client.AssertStatus(HttpStatusCode.Redirect, response);
        var stored = Assert.Single(await factory.TransactionsAsync(workspaceId));
        Assert.Equal((TransactionType.Trade, TransactionLabel.Buy, TransactionOrigin.Manual, kraken, "First bitcoin"),
            (stored.Type, stored.Label, stored.Origin, stored.IntegrationId, stored.Description));
        Assert.Equal(new DateTimeOffset(2024, 3, 1, 14, 30, 0, TimeSpan.Zero), stored.OccurredAt);
        var lines = stored.Lines.OrderBy(l => l.Direction).Select(l => (l.Direction, l.Asset, l.Quantity, l.UnitPrice, l.Currency)).ToList();
        Assert.Equal([(LineDirection.In, "BTC", 0.5m, 40000m, "USD"), (LineDirection.Out, "USD", 20000m, 1m, "USD"), (LineDirection.Fee, "USD", 10m, null, "USD")], lines);
        Assert.Equal(before + 1, factory.InvalidationsOf(workspaceId));

        var page = await client.FollowAsync(response);
        var cells = page.QuerySelectorAll("main table tbody tr td").Select(c => c.TextContent.Trim()).ToList();
        Assert.Equal(["2024-03-01 14:30 UTC", "Trade", "Buy", "Kraken", "0.5 BTC @ 40000", "20000 USD @ 1", "10 USD", "First bitcoin", "Edit"], cells);
        client.Dispose();
    }

    [Theory]
    [InlineData("Input.Lines[0].Quantity", "0", "The quantity must be greater than 0.")]
    [InlineData("Input.Lines[0].Quantity", "-1", "The quantity must be greater than 0.")]
    [InlineData("Input.Lines[0].Quantity", "1,5", "a dot for decimals")]
    [InlineData("Input.Lines[0].Quantity", "1e5", "a dot for decimals")]
    [InlineData("Input.Lines[0].Quantity", "0.1234567890123456789", "at most 18 decimal places")]
    [InlineData("Input.Lines[0].Quantity", "99999999999999999999999999999999", "can be at most 1,000,000,000,000,000")]
    [InlineData("Input.Lines[0].UnitPrice", "-5", "The unit price cannot be negative.")]
    [InlineData("Input.Lines[0].Asset", "BTC-USD", "1 to 16 letters or digits")]
    [InlineData("Input.Lines[0].Asset", "ABCDEFGHIJKLMNOPQ", "1 to 16 letters or digits")]
    [InlineData("Input.Label", "StakingRewards", "A Trade is labelled Buy, Sell, Swap.")]
    [InlineData("Input.Type", "Bogus", "Choose a type.")]
    [InlineData("Input.OccurredAt", "2008-12-31T00:00:00", "between 2009-01-03 and today")]
    [InlineData("Input.OccurredAt", "3024-01-01T00:00:00", "between 2009-01-03 and today")]
    [InlineData("Input.OccurredAt", "yesterday", "ISO 8601")]
    [InlineData("Input.Description", "bad\u0007bell", "cannot contain control characters")]
    [InlineData("Input.IntegrationId", "not-a-guid", "Choose the account.")]
    [InlineData("Input.CounterpartIntegrationId", "00000000-0000-0000-0000-000000000001", "Only transfers have a counterpart account.")]
    public async Task InvalidField_IsRefusedWithItsMessage_AndNothingIsStored(string field, string value, string message)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Validation");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var fields = Buy(kraken);
        fields[field] = value;

        using var response = await client.SubmitAsync($"/workspaces/{workspaceId}/portfolio/transactions/new", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var page = await PortalClient.ReadPageAsync(response);
        Assert.Contains(message, page.QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        Assert.Empty(await factory.TransactionsAsync(workspaceId));
        client.Dispose();
    }

    [Fact]
    public async Task NulByteInAField_IsA400FromTheFormReader_AndNothingIsStored()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Nul");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var fields = Buy(kraken);
        fields["Input.Description"] = "bad\0byte";

        using var response = await client.SubmitAsync($"/workspaces/{workspaceId}/portfolio/transactions/new", fields);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("Exception", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // The error page names the status it answers with (it once read "Error 0").
        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal(("Error 400", "Bad request"), (page.QuerySelector("main .card .muted")!.TextContent.Trim(), page.QuerySelector("main h1")!.TextContent.Trim()));
        Assert.Empty(await factory.TransactionsAsync(workspaceId));
        client.Dispose();
    }

    [Fact]
    public async Task Transfer_NeedsADifferentCounterpartOfTheSameWorkspace_AndOnlyAnOutgoingAsset()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Transfers");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var ledger = await factory.AddExchangeAsync(client, workspaceId, "Coinbase", "coinbase");
        var (_, stranger) = await factory.SignedInUserAsync();
        var elsewhere = await stranger.CreateWorkspaceAsync("Elsewhere");
        var strangersAccount = await factory.AddExchangeAsync(stranger, elsewhere, "Theirs");
        var url = $"/workspaces/{workspaceId}/portfolio/transactions/new";
        Dictionary<string, string> Transfer(string counterpart) => new()
        {
            ["Input.Type"] = "Transfer",
            ["Input.Label"] = "Transfer",
            ["Input.OccurredAt"] = "2024-05-01T08:00:00Z",
            ["Input.IntegrationId"] = kraken.ToString(),
            ["Input.CounterpartIntegrationId"] = counterpart,
            ["Input.Lines[0].Direction"] = "Out",
            ["Input.Lines[0].Asset"] = "BTC",
            ["Input.Lines[0].Quantity"] = "0.25",
        };

        foreach (var (counterpart, message) in new[]
        {
            ("", "A transfer needs the account the assets arrive in."),
            (kraken.ToString(), "A transfer goes to a different account than the one it leaves."),
            (strangersAccount.ToString(), "Choose a counterpart account of this workspace."),
        })
        {
            using var refused = await client.SubmitAsync(url, Transfer(counterpart));
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Contains(message, (await PortalClient.ReadPageAsync(refused)).QuerySelector("main")!.TextContent, StringComparison.Ordinal);
        }

        var withIn = Transfer(ledger.ToString());
        withIn["Input.Lines[1].Direction"] = "In";
        withIn["Input.Lines[1].Asset"] = "BTC";
        withIn["Input.Lines[1].Quantity"] = "0.25";
        using var inRefused = await client.SubmitAsync(url, withIn);
        Assert.Equal(HttpStatusCode.BadRequest, inRefused.StatusCode);
        Assert.Contains("A transfer has only an outgoing asset", await inRefused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await factory.TransactionsAsync(workspaceId));

        using var accepted = await client.SubmitAsync(url, Transfer(ledger.ToString()));
        client.AssertStatus(HttpStatusCode.Redirect, accepted);
        var transfer = Assert.Single(await factory.TransactionsAsync(workspaceId));
        Assert.Equal((kraken, (Guid?)ledger), (transfer.IntegrationId, transfer.CounterpartIntegrationId));
        client.Dispose();
        stranger.Dispose();
    }

    [Fact]
    public async Task Edit_ReplacesTheLines_AndDelete_RemovesTheTransaction_BothAudited()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Edits");
        var kraken = await factory.AddExchangeAsync(client, workspaceId, "Kraken");
        var id = await factory.InsertBuyAsync(workspaceId, kraken, "ETH", 2, 2000);
        var url = $"/workspaces/{workspaceId}/portfolio/transactions/{id}";

        var page = await client.GetPageAsync(url);
        Assert.Equal("ETH", page.QuerySelector("input[name='Input.Lines[0].Asset']")!.GetAttribute("value"));
        Assert.Equal("2", page.QuerySelector("input[name='Input.Lines[0].Quantity']")!.GetAttribute("value"));
        using var edited = await client.SubmitAsync(page, url, new Dictionary<string, string> { ["Input.Lines[0].Quantity"] = "3", ["Input.Lines[1].Quantity"] = "6000" });
        client.AssertStatus(HttpStatusCode.Redirect, edited);
        var stored = Assert.Single(await factory.TransactionsAsync(workspaceId));
        Assert.Equal(id, stored.Id);
        Assert.Equal([(LineDirection.In, "ETH", 3m), (LineDirection.Out, "USD", 6000m)], stored.Lines.OrderBy(l => l.Direction).Select(l => (l.Direction, l.Asset, l.Quantity)));

        using var deleted = await client.SubmitAsync(url, formSelector: "form[action*='handler=Delete']");
        client.AssertStatus(HttpStatusCode.Redirect, deleted);
        Assert.Empty(await factory.TransactionsAsync(workspaceId));
        var audit = (await factory.AuditEventsAsync(workspaceId)).Where(e => e.Action.StartsWith("portfolio.transaction", StringComparison.Ordinal)).ToList();
        Assert.Equal([
            (AuditActions.TransactionEdited, "Edited the Buy transaction of 2024-01-15 10:00 UTC (in 3 ETH, out 6000 USD)"),
            (AuditActions.TransactionDeleted, "Deleted the Buy transaction of 2024-01-15 10:00 UTC (in 3 ETH, out 6000 USD)"),
        ], audit.Select(e => (e.Action, e.Summary)));
        Assert.All(audit, e => Assert.Equal(user.Email, e.ActorEmail));
        client.Dispose();
    }

    [Fact]
    public async Task Viewer_CannotAddEditOrDelete_AndAStrangerGets404()
    {
        var (_, owner) = await factory.SignedInUserAsync();
        var workspaceId = await owner.CreateWorkspaceAsync("Guarded");
        var kraken = await factory.AddExchangeAsync(owner, workspaceId, "Kraken");
        var id = await factory.InsertBuyAsync(workspaceId, kraken, "BTC", 1, 30000);
        var (_, viewer) = await factory.MemberAsync(owner, workspaceId, WorkspaceRole.Viewer);

        var page = await viewer.GetPageAsync($"/workspaces/{workspaceId}/portfolio/transactions/{id}");
        Assert.NotNull(page.QuerySelector("fieldset[disabled]"));
        using var add = await viewer.PostDirectAsync($"/workspaces/{workspaceId}/portfolio/transactions/new", Buy(kraken));
        Assert.Equal(HttpStatusCode.Forbidden, add.StatusCode);
        using var edit = await viewer.PostDirectAsync($"/workspaces/{workspaceId}/portfolio/transactions/{id}", Buy(kraken, "9"));
        Assert.Equal(HttpStatusCode.Forbidden, edit.StatusCode);
        using var delete = await viewer.PostDirectAsync($"/workspaces/{workspaceId}/portfolio/transactions/{id}?handler=Delete");
        Assert.Equal(HttpStatusCode.Forbidden, delete.StatusCode);
        Assert.Equal(1m, Assert.Single(await factory.TransactionsAsync(workspaceId)).Lines.Single(l => l.Direction == LineDirection.In).Quantity);

        var (_, stranger) = await factory.SignedInUserAsync();
        var theirs = await stranger.CreateWorkspaceAsync("Theirs");
        using var list = await stranger.Http.GetAsync(new Uri($"/workspaces/{workspaceId}/portfolio/transactions", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        using var other = await stranger.Http.GetAsync(new Uri($"/workspaces/{theirs}/portfolio/transactions/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        using var otherDelete = await stranger.PostDirectAsync($"/workspaces/{theirs}/portfolio/transactions/{id}?handler=Delete");
        Assert.Equal(HttpStatusCode.NotFound, otherDelete.StatusCode);
        Assert.Single(await factory.TransactionsAsync(workspaceId));
        owner.Dispose();
        viewer.Dispose();
        stranger.Dispose();
    }
}
