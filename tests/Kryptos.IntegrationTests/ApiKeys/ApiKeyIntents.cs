using System.Net;
using Kryptos.Connect.Authorization.ApiKeys;
using Kryptos.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Kryptos.IntegrationTests.ApiKeys;

/// <summary>A host whose clock tests move and whose clients choose the address they call from (192.0.2.1 unless told).</summary>
public class ApiKeyFactory : ClientAddressFactory
{
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }
}

/// <summary>Creating keys through the real portal pages and calling /v1 with them, as an enterprise's server would.</summary>
public static class ApiKeyIntents
{
    /// <summary>Submits the create form (defaults: every scope, 90 days, any address) and returns the key the page shows once.</summary>
    public static async Task<(Guid Id, string Key)> CreateKeyAsync(this PortalClient owner, Guid workspaceId, IReadOnlyDictionary<string, string>? fields = null, string name = "Reporting server")
    {
        ArgumentNullException.ThrowIfNull(owner);
        var values = new Dictionary<string, string> { ["Form.Name"] = name };
        foreach (var (field, value) in fields ?? new Dictionary<string, string>())
        {
            values[field] = value;
        }

        using var response = await owner.SubmitAsync($"/workspaces/{workspaceId}/keys/new", values);
        owner.AssertStatus(HttpStatusCode.Redirect, response);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith($"/workspaces/{workspaceId}/keys/", location, StringComparison.Ordinal);
        using var shown = await owner.Http.GetAsync(location);
        Assert.True(shown.Headers.CacheControl?.NoStore, $"Cache-Control: {shown.Headers.CacheControl}");
        var page = await PortalClient.ReadPageAsync(shown, HttpStatusCode.OK);
        var key = page.QuerySelector("#new-api-key")?.GetAttribute("value") ?? throw new InvalidOperationException("The key was not shown.");
        Assert.True(ApiKeyFormat.IsWellFormed(key));
        return (Guid.Parse(location.Split('/').Last()), key);
    }

    /// <summary>A client without cookies whose requests come from <paramref name="address"/> (the factory's default when null).</summary>
    public static HttpClient ApiClient(this ApiKeyFactory factory, string? address = null)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var http = factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
        if (address is not null)
        {
            http.DefaultRequestHeaders.Add("X-Test-Client-Address", address);
        }

        return http;
    }

    public static async Task<HttpResponseMessage> GetWithKeyAsync(this HttpClient http, string path, string key)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("X-API-Key", key);
        return await http.SendAsync(request);
    }

    /// <summary>A verified owner, signed in, with a new workspace.</summary>
    public static async Task<(TestUser User, PortalClient Client, Guid WorkspaceId)> OwnerWithWorkspaceAsync(this KryptosFactory factory, string name = "Acme Treasury")
    {
        var (user, client) = await factory.SignedInUserAsync();
        var workspaceId = await client.CreateWorkspaceAsync(name);
        return (user, client, workspaceId);
    }
}
