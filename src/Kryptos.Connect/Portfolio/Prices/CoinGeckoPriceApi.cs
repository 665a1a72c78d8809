using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Portfolio.Prices;

/// <summary>
/// Prices from a CoinGecko-compatible API (<see cref="PriceApiOptions.BaseUrl"/>): today's from
/// <c>GET /simple/price?ids=…&amp;vs_currencies=…</c>, a past day's from
/// <c>GET /coins/{id}/history?date=dd-mm-yyyy&amp;localization=false</c> (CoinGecko's price at 00:00 UTC
/// of that day). Answers are cached; a failure (timeout, error status, unreadable or absurd answer)
/// returns nothing, so the next source answers, and keeps the API alone for
/// <see cref="PriceApiOptions.FailureBackoff"/>. Never throws except for cancellation by the caller.
/// </summary>
public sealed partial class CoinGeckoPriceApi(
    IHttpClientFactory httpClients,
    IOptions<PriceOptions> options,
    TimeProvider time,
    ILogger<CoinGeckoPriceApi> logger)
{
    public const string Source = "api";

    /// <summary>The largest close accepted from the API; anything above is treated as a broken answer.</summary>
    private const decimal MaxClose = 1_000_000_000_000m;

    /// <summary>CoinGecko's coin ids of the symbols Kryptos knows.</summary>
    public static readonly FrozenDictionary<string, string> CoinIds = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["BTC"] = "bitcoin", ["ETH"] = "ethereum", ["SOL"] = "solana", ["USDC"] = "usd-coin",
        ["USDT"] = "tether", ["ADA"] = "cardano", ["DOT"] = "polkadot", ["LINK"] = "chainlink",
        ["POL"] = "polygon-ecosystem-token", ["XRP"] = "ripple", ["DOGE"] = "dogecoin", ["AVAX"] = "avalanche-2",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>The name of the <see cref="HttpClient"/> it uses.</summary>
    public const string HttpClientName = "PriceApi";

    // A singleton: the cache and the back-off clock live as long as the host.
    private readonly ConcurrentDictionary<string, CachedClose> cache = new(StringComparer.Ordinal);
    private long backoffUntilTicks;

    private PriceApiOptions Settings => options.Value.Api;

    /// <summary>Whether a base URL is configured.</summary>
    public bool IsEnabled => Settings.BaseUrl is not null;

    /// <summary>The closes of the assets the API knows on <paramref name="day"/> in <paramref name="currency"/>.</summary>
    public async Task<IReadOnlyDictionary<string, PricePoint>> GetClosesAsync(
        IReadOnlyCollection<string> assets, string currency, DateOnly day, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(assets);
        ArgumentNullException.ThrowIfNull(currency);
        var result = new Dictionary<string, PricePoint>(StringComparer.Ordinal);
        if (!IsEnabled)
        {
            return result;
        }

        var vs = currency.ToLowerInvariant();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var isCurrent = day >= today;
        var wanted = new List<(string Asset, string CoinId)>();
        foreach (var asset in assets.Distinct(StringComparer.Ordinal))
        {
            if (!CoinIds.TryGetValue(asset, out var coinId))
            {
                continue;
            }

            var key = CacheKey(coinId, vs, isCurrent ? today : day, isCurrent);
            if (cache.TryGetValue(key, out var cached) && cached.ExpiresAt > time.GetUtcNow())
            {
                if (cached.Close is { } close)
                {
                    result[asset] = new PricePoint(asset, cached.Date, close, currency, Source);
                }
            }
            else
            {
                wanted.Add((asset, coinId));
            }
        }

        if (wanted.Count == 0 || InBackoff())
        {
            return result;
        }

        try
        {
            if (isCurrent)
            {
                await FetchCurrentAsync(wanted, currency, vs, today, result, cancellationToken);
            }
            else
            {
                foreach (var (asset, coinId) in wanted)
                {
                    await FetchHistoryAsync(asset, coinId, currency, vs, day, result, cancellationToken);
                }
            }
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or OperationCanceledException or PriceApiException
            && !cancellationToken.IsCancellationRequested)
        {
            Interlocked.Exchange(ref backoffUntilTicks, (time.GetUtcNow() + Settings.FailureBackoff).UtcTicks);
            LogFailure(logger, exception.GetType().Name, Describe(exception));
        }

        return result;
    }

    private async Task FetchCurrentAsync(
        List<(string Asset, string CoinId)> wanted, string currency, string vs, DateOnly today,
        Dictionary<string, PricePoint> result, CancellationToken cancellationToken)
    {
        var ids = string.Join(',', wanted.Select(w => w.CoinId));
        using var document = await GetJsonAsync($"simple/price?ids={Uri.EscapeDataString(ids)}&vs_currencies={Uri.EscapeDataString(vs)}", cancellationToken);
        var expires = time.GetUtcNow() + Settings.CacheDuration;
        foreach (var (asset, coinId) in wanted)
        {
            var close = document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(coinId, out var coin) && coin.ValueKind == JsonValueKind.Object
                && coin.TryGetProperty(vs, out var price)
                    ? ReadClose(price)
                    : null;
            Remember(CacheKey(coinId, vs, today, current: true), new CachedClose(close, today, expires));
            if (close is { } value)
            {
                result[asset] = new PricePoint(asset, today, value, currency, Source);
            }
        }
    }

    private async Task FetchHistoryAsync(
        string asset, string coinId, string currency, string vs, DateOnly day,
        Dictionary<string, PricePoint> result, CancellationToken cancellationToken)
    {
        var date = day.ToString("dd-MM-yyyy", CultureInfo.InvariantCulture);
        using var document = await GetJsonAsync($"coins/{Uri.EscapeDataString(coinId)}/history?date={date}&localization=false", cancellationToken);
        // {"id":"bitcoin",…,"market_data":{"current_price":{"usd":42261.04,"eur":38424.6,…}}}; a day
        // before the coin existed has no market_data.
        var close = document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("market_data", out var market) && market.ValueKind == JsonValueKind.Object
            && market.TryGetProperty("current_price", out var prices) && prices.ValueKind == JsonValueKind.Object
            && prices.TryGetProperty(vs, out var price)
                ? ReadClose(price)
                : null;
        // A past day's price does not change: keep it for a day.
        Remember(CacheKey(coinId, vs, day, current: false), new CachedClose(close, day, time.GetUtcNow().AddDays(1)));
        if (close is { } value)
        {
            result[asset] = new PricePoint(asset, day, value, currency, Source);
        }
    }

    private async Task<JsonDocument> GetJsonAsync(string relative, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Settings.Timeout);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseWithSlash(), relative));
        request.Headers.Accept.ParseAdd("application/json");
        if (!string.IsNullOrEmpty(Settings.ApiKey))
        {
            request.Headers.TryAddWithoutValidation("x-cg-demo-api-key", Settings.ApiKey);
        }

        using var http = httpClients.CreateClient(HttpClientName);
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new PriceApiException($"the API answered {(int)response.StatusCode}");
        }

        // Prices are small answers; a huge body is a broken or hostile server.
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw new PriceApiException("the answer is too large");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        using var limited = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
        {
            if (limited.Length + read > MaxBodyBytes)
            {
                throw new PriceApiException("the answer is too large");
            }

            limited.Write(buffer, 0, read);
        }

        limited.Position = 0;
        return await JsonDocument.ParseAsync(limited, cancellationToken: timeout.Token);
    }

    private const int MaxBodyBytes = 1024 * 1024;

    /// <summary>Cached answers kept at most; past that, expired ones go, then all of them.</summary>
    private const int MaxCacheEntries = 20_000;

    private void Remember(string key, CachedClose close)
    {
        if (cache.Count >= MaxCacheEntries)
        {
            var now = time.GetUtcNow();
            foreach (var entry in cache.Where(e => e.Value.ExpiresAt <= now).ToList())
            {
                cache.TryRemove(entry.Key, out _);
            }

            if (cache.Count >= MaxCacheEntries)
            {
                cache.Clear();
            }
        }

        cache[key] = close;
    }

    private Uri BaseWithSlash()
    {
        var text = Settings.BaseUrl!.ToString();
        return new Uri(text.EndsWith('/') ? text : text + "/", UriKind.Absolute);
    }

    /// <summary>A positive, finite, sane close; null otherwise (a string, a negative, 1e300 …).</summary>
    private static decimal? ReadClose(JsonElement price) =>
        price.ValueKind == JsonValueKind.Number && price.TryGetDecimal(out var value) && value > 0m && value <= MaxClose ? value : null;

    private bool InBackoff() => time.GetUtcNow().UtcTicks < Interlocked.Read(ref backoffUntilTicks);

    private static string CacheKey(string coinId, string vs, DateOnly day, bool current) =>
        $"{(current ? "now" : "day")}|{coinId}|{vs}|{day.DayNumber}";

    /// <summary>The failure without anything a server could have put in it (no body, no URL with a key).</summary>
    private static string Describe(Exception exception) => exception switch
    {
        PriceApiException api => api.Message,
        OperationCanceledException => "the request timed out",
        HttpRequestException http => http.StatusCode is { } status ? $"HTTP {(int)status}" : $"the request failed ({http.HttpRequestError})",
        _ => "the answer is not the expected JSON",
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "The price API failed ({Kind}: {Reason}); other price sources answer until it is retried")]
    private static partial void LogFailure(ILogger logger, string kind, string reason);

    private sealed record CachedClose(decimal? Close, DateOnly Date, DateTimeOffset ExpiresAt);

    private sealed class PriceApiException(string message) : Exception(message);
}
