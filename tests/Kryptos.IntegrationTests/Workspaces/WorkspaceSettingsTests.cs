using System.Net;
using Kryptos.Connect.Core.Audit;
using Kryptos.Connect.Core.Workspaces;
using Kryptos.IntegrationTests.Infrastructure;

namespace Kryptos.IntegrationTests.Workspaces;

/// <summary>Name, description, base currency and cost-basis method, validated and audited.</summary>
public sealed class WorkspaceSettingsTests(KryptosFactory factory) : IClassFixture<KryptosFactory>
{
    [Fact]
    public async Task Owner_CanRenameDescribeAndChooseCurrencyAndCostBasisMethod()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Old Name");

        using var response = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>
        {
            ["Input.Name"] = "New Name",
            ["Input.Description"] = "Our tax desk",
            ["Input.BaseCurrency"] = "EUR",
            ["Input.CostBasisMethod"] = nameof(CostBasisMethod.Hifo),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal($"/workspaces/{workspaceId}/settings", response.Headers.Location!.OriginalString);
        var workspace = await factory.WorkspaceAsync(workspaceId);
        Assert.NotNull(workspace);
        Assert.Equal("New Name", workspace.Name);
        Assert.Equal("Our tax desk", workspace.Description);
        Assert.Equal("EUR", workspace.BaseCurrency);
        Assert.Equal(CostBasisMethod.Hifo, workspace.CostBasisMethod);
        Assert.True(workspace.UpdatedAt > workspace.CreatedAt);

        var page = await client.FollowAsync(response);
        Assert.Equal("Settings saved.", page.QuerySelector(".alert.success")!.TextContent.Trim());
        Assert.Equal("New Name", page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        Assert.Equal("EUR", page.QuerySelector("select[name='Input.BaseCurrency'] option[selected]")!.GetAttribute("value"));
        Assert.Equal("Hifo", page.QuerySelector("select[name='Input.CostBasisMethod'] option[selected]")!.GetAttribute("value"));
        client.Dispose();
    }

    [Fact]
    public async Task SavingSettings_RecordsOneAuditEventWhoseSummaryNamesEachChange()
    {
        var (user, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Before");

        using var response = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>
        {
            ["Input.Name"] = "After",
            ["Input.Description"] = "Now described",
            ["Input.BaseCurrency"] = "CHF",
            ["Input.CostBasisMethod"] = nameof(CostBasisMethod.Lifo),
        });

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var changed = Assert.Single(await factory.AuditEventsAsync(workspaceId, AuditActions.WorkspaceSettingsChanged));
        Assert.Equal(
            "Changed name from \"Before\" to \"After\", description, base currency from USD to CHF, cost-basis method from FIFO to LIFO",
            changed.Summary);
        Assert.Equal(user.Email, changed.ActorEmail);
        client.Dispose();
    }

    [Fact]
    public async Task SavingSettingsUnchanged_RecordsNoAuditEvent()
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Steady");

        using var response = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.WorkspaceSettingsChanged));
        client.Dispose();
    }

    [Theory]
    [InlineData("XYZ")]
    [InlineData("eur")]
    [InlineData("EURO")]
    [InlineData("BTC")]
    public async Task UnsupportedCurrency_IsRejectedNextToTheField_AndNothingIsSaved(string currency)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Careful");

        using var response = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>
        {
            ["Input.Name"] = "Renamed With Bad Currency",
            ["Input.BaseCurrency"] = currency,
        });

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal("Choose one of the listed currencies.", page.FieldError("Input.BaseCurrency"));
        Assert.Equal("Renamed With Bad Currency", page.QuerySelector("input[name='Input.Name']")!.GetAttribute("value"));
        var workspace = await factory.WorkspaceAsync(workspaceId);
        Assert.Equal("Careful", workspace!.Name);
        Assert.Equal("USD", workspace.BaseCurrency);
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.WorkspaceSettingsChanged));
        client.Dispose();
    }

    [Theory]
    [MemberData(nameof(WorkspaceCreationTests.InvalidNames), MemberType = typeof(WorkspaceCreationTests))]
    public async Task InvalidName_IsRejectedNextToTheField_AndNothingIsSaved(string name, string error)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Keeps Its Name");

        using var response = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>
        {
            ["Input.Name"] = name,
            ["Input.BaseCurrency"] = "GBP",
        });

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.Equal(error, page.FieldError("Input.Name"));
        var workspace = await factory.WorkspaceAsync(workspaceId);
        Assert.Equal("Keeps Its Name", workspace!.Name);
        Assert.Equal("USD", workspace.BaseCurrency);
        client.Dispose();
    }

    [Theory]
    [InlineData("Avco")]
    [InlineData("7")]
    public async Task UnknownCostBasisMethod_IsRejectedNextToTheField_AndNothingIsSaved(string method)
    {
        var (_, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync("Method Kept");

        using var response = await client.UpdateSettingsAsync(workspaceId, new Dictionary<string, string>
        {
            ["Input.CostBasisMethod"] = method,
        });

        var page = await PortalClient.ReadPageAsync(response, HttpStatusCode.OK);
        Assert.NotNull(page.FieldError("Input.CostBasisMethod"));
        Assert.Equal(CostBasisMethod.Fifo, (await factory.WorkspaceAsync(workspaceId))!.CostBasisMethod);
        Assert.Empty(await factory.AuditEventsAsync(workspaceId, AuditActions.WorkspaceSettingsChanged));
        client.Dispose();
    }
}
