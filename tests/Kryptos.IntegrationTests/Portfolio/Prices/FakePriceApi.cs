using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Kryptos.IntegrationTests.Portfolio.Prices;

/// <summary>
/// A CoinGecko look-alike on a real Kestrel loopback port: <c>/simple/price</c> and
/// <c>/coins/{id}/history</c> answer CoinGecko's JSON shapes with the prices a test sets; a test can
/// make it fail, hang or answer nonsense. Every request's path and query is recorded.
/// </summary>
public sealed class FakePriceApi : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakePriceApi(WebApplication app) => _app = app;

    /// <summary>The API's base URL, e.g. <c>http://127.0.0.1:41234/api/v3</c>.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>The <c>x-cg-demo-api-key</c> header of each request that had one.</summary>
    public ConcurrentQueue<string> ApiKeys { get; } = new();

    /// <summary>Requests received: path and query.</summary>
    public ConcurrentQueue<string> Requests { get; } = new();

    /// <summary>Current prices: coin id → currency (lower case) → JSON number text.</summary>
    public ConcurrentDictionary<string, Dictionary<string, string>> Current { get; } = new();

    /// <summary>Past prices: "coin id|dd-mm-yyyy" → currency → JSON number text.</summary>
    public ConcurrentDictionary<string, Dictionary<string, string>> History { get; } = new();

    /// <summary>Answer every request with this status (and an empty JSON body) instead.</summary>
    public int? FailWith { get; set; }

    /// <summary>Wait this long before answering.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>Answer every request with this body instead.</summary>
    public string? RawBody { get; set; }

    public static async Task<FakePriceApi> StartAsync()
    {
        // No configuration files to watch: file watchers use inotify instances, a small per-user budget
        // that parallel test hosts share.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = ["--hostBuilder:reloadConfigOnChange=false"],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.WebHost.UseKestrel().UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakePriceApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        fake.BaseUrl = new Uri(address + "/api/v3");
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        Requests.Enqueue(path + context.Request.QueryString);
        if (context.Request.Headers.TryGetValue("x-cg-demo-api-key", out var apiKey))
        {
            ApiKeys.Enqueue(apiKey.ToString());
        }

        if (Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(Delay, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        context.Response.ContentType = "application/json";
        if (FailWith is { } status)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync("{\"status\":{\"error_message\":\"failing on purpose\"}}");
            return;
        }

        if (RawBody is { } raw)
        {
            await context.Response.WriteAsync(raw);
            return;
        }

        if (path == "/api/v3/simple/price")
        {
            var ids = context.Request.Query["ids"].ToString().Split(',');
            var vs = context.Request.Query["vs_currencies"].ToString().Split(',');
            var coins = ids.Where(Current.ContainsKey).Select(id =>
                $"\"{id}\":{{{string.Join(',', vs.Where(Current[id].ContainsKey).Select(v => $"\"{v}\":{Current[id][v]}"))}}}");
            await context.Response.WriteAsync("{" + string.Join(',', coins) + "}");
            return;
        }

        const string prefix = "/api/v3/coins/";
        if (path.StartsWith(prefix, StringComparison.Ordinal) && path.EndsWith("/history", StringComparison.Ordinal))
        {
            var id = path[prefix.Length..^"/history".Length];
            var key = id + "|" + context.Request.Query["date"];
            var market = History.TryGetValue(key, out var prices)
                ? $",\"market_data\":{{\"current_price\":{{{string.Join(',', prices.Select(p => $"\"{p.Key}\":{p.Value}"))}}}}}"
                : "";
            await context.Response.WriteAsync($"{{\"id\":\"{id}\",\"symbol\":\"x\",\"name\":\"x\"{market}}}");
            return;
        }

        context.Response.StatusCode = 404;
        await context.Response.WriteAsync("{\"error\":\"coin not found\"}");
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
