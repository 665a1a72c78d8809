using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kryptos.IntegrationTests.Oidc;
using Microsoft.AspNetCore.WebUtilities;

namespace Kryptos.Load;

/// <summary>One measured phase: what was done, in how long, for how much of the server's CPU.</summary>
internal sealed record Measurement(string Name, long Operations, long Errors, TimeSpan Wall, TimeSpan ServerCpu, string? FirstError)
{
    public double PerSecond => Operations / Wall.TotalSeconds;

    /// <summary>Operations per CPU-second of the server(s): per core, whatever else runs on the machine.</summary>
    public double PerCpuSecond => ServerCpu > TimeSpan.Zero ? Operations / ServerCpu.TotalSeconds : double.NaN;

    /// <summary>On PostgreSQL: the cluster's CPU, and the commits and WAL flushes (fsyncs) in the phase.</summary>
    public PostgresCost? Postgres { get; init; }

    /// <summary>Operations per CPU-second of the servers and PostgreSQL together.</summary>
    public double PerTotalCpuSecond => Postgres is { Cpu: var pg } ? Operations / (ServerCpu + pg).TotalSeconds : double.NaN;
}

/// <summary>What PostgreSQL spent during one phase (deltas of /proc and of pg_stat_database / pg_stat_wal).</summary>
internal sealed record PostgresCost(TimeSpan Cpu, long Commits, long Writes, long WalSyncs);

/// <summary>
/// The load scenarios. Every worker is one client with its own connection, doing one operation after
/// another; each phase runs a warm-up first (not measured), then measures for a fixed time.
/// </summary>
/// <remarks>
/// With several servers on one database (<c>postgres:2</c>) the clients are spread round robin:
/// client <c>i</c> talks to server <c>i mod n</c> only.
/// </remarks>
internal sealed partial class Scenarios(Run run, Fixture fixture, int clients, TimeSpan duration, TimeSpan warmUp, Tracing? tracing)
{
    private const string RedirectUri = "https://app.example.com/callback";

    /// <summary>GET /v1/users/me with a bearer token: the cheapest authenticated call, a control.</summary>
    public async Task<Measurement> UsersMeAsync()
    {
        using var http = new Channels(run.Servers);
        var accessToken = (await FlowAsync(http[0])).AccessToken;
        return await RunAsync("users/me", async worker =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/users/me");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
            using var response = await http[worker].SendAsync(request);
            return response.StatusCode == HttpStatusCode.OK ? null : await DescribeAsync(response);
        });
    }

    /// <summary>Refresh-token grants with rotation: each client presents the refresh token it got last.</summary>
    public async Task<Measurement> RefreshAsync()
    {
        using var http = new Channels(run.Servers);
        var tokens = new string[clients];
        for (var i = 0; i < clients; i++)
        {
            tokens[i] = (await FlowAsync(http[i])).RefreshToken;
        }

        return await RunAsync("refresh grants", async worker =>
        {
            using var response = await TokenAsync(http[worker], new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = tokens[worker],
            });
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return await DescribeAsync(response);
            }

            tokens[worker] = (await ReadTokensAsync(response)).RefreshToken;
            return null;
        }, stopWorkerOnError: true);
    }

    /// <summary>
    /// Authorization-code redemptions alone: codes are fetched first (not measured) for as long as a
    /// phase lasts, then every client redeems from the pile until it is empty.
    /// </summary>
    public async Task<Measurement> CodeRedemptionAsync()
    {
        using var http = new Channels(run.Servers);
        var codes = new ConcurrentQueue<(string Code, string Verifier)>();
        var until = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            while (until.Elapsed < duration)
            {
                codes.Enqueue(await CodeAsync(http[worker]));
            }
        }));

        return await RunAsync("code redemptions", async worker =>
        {
            if (!codes.TryDequeue(out var code))
            {
                return Done;
            }

            using var response = await RedeemAsync(http[worker], code);
            return response.StatusCode == HttpStatusCode.OK ? null : await DescribeAsync(response);
        }, untilDone: true);
    }

    /// <summary>
    /// The browserless code flow of a signed-in user with remembered consent: GET /oidc/auth with the
    /// session cookie (302 to the client with a code), then the client's POST /oidc/token.
    /// </summary>
    public async Task<Measurement> CodeFlowAsync()
    {
        using var http = new Channels(run.Servers);
        return await RunAsync("browserless code flows", async worker =>
        {
            var code = await CodeAsync(http[worker]);
            using var response = await RedeemAsync(http[worker], code);
            return response.StatusCode == HttpStatusCode.OK ? null : await DescribeAsync(response);
        });
    }

    /// <summary>Password logins through the real form: GET (antiforgery token and cookie), then POST, 302 with a session.</summary>
    public async Task<Measurement> LoginAsync()
    {
        using var channels = new Channels(run.Servers);
        return await RunAsync("password logins", async worker =>
        {
            var http = channels[worker];
            using var page = await http.GetAsync(new Uri("/account/login", UriKind.Relative));
            var html = await page.Content.ReadAsStringAsync();
            var token = AntiforgeryField().Match(html);
            var cookie = page.Headers.TryGetValues("Set-Cookie", out var values) ? values.First().Split(';')[0] : null;
            if (!token.Success || cookie is null)
            {
                return $"The login page had no antiforgery token ({(int)page.StatusCode}).";
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, "/account/login");
            request.Headers.Add("Cookie", cookie);
            request.Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
                ["Input.Email"] = fixture.User.Email,
                ["Input.Password"] = fixture.User.Password,
            });
            using var response = await http.SendAsync(request);
            var signedIn = response.StatusCode == HttpStatusCode.Redirect
                && response.Headers.TryGetValues("Set-Cookie", out var set) && set.Any(c => c.Contains("session", StringComparison.Ordinal));
            return signedIn ? null : await DescribeAsync(response);
        });
    }

    private const string Done = "\0done";

    private async Task<Measurement> RunAsync(string name, Func<int, Task<string?>> operation, bool stopWorkerOnError = false, bool untilDone = false)
    {
        if (!untilDone)
        {
            await LoopAsync(operation, warmUp, stopWorkerOnError, untilDone: false);
        }

        using var trace = tracing?.Start(name, run.Server.Id, duration);
        var pg = run.Postgres;
        var statsBefore = pg is { } p ? await p.Cluster.StatsAsync(p.Database) : default;
        var pgCpuBefore = pg?.Cluster.CpuTime() ?? TimeSpan.Zero;
        var cpuBefore = run.CpuTime();
        var clock = Stopwatch.StartNew();
        var (operations, errors, firstError) = await LoopAsync(operation, duration, stopWorkerOnError, untilDone);
        clock.Stop();
        var cpu = run.CpuTime() - cpuBefore;
        var measurement = new Measurement(name, operations, errors, clock.Elapsed, cpu, firstError);
        if (pg is { } q)
        {
            var pgCpu = q.Cluster.CpuTime() - pgCpuBefore;
            // The statistics reach pg_stat_* when a backend goes idle or within a second or so.
            await Task.Delay(TimeSpan.FromSeconds(1.5));
            var statsAfter = await q.Cluster.StatsAsync(q.Database);
            measurement = measurement with { Postgres = new PostgresCost(pgCpu, statsAfter.Commits - statsBefore.Commits, statsAfter.Writes - statsBefore.Writes, statsAfter.WalSyncs - statsBefore.WalSyncs) };
        }

        var postgres = measurement.Postgres is { } c
            ? $", PostgreSQL CPU {c.Cpu.TotalSeconds:F2} s ({(operations > 0 ? c.Cpu.TotalMilliseconds / operations : double.NaN):F2} ms per operation), {(double)c.Commits / operations:F1} transactions ({(double)c.Writes / operations:F1} writing) and {(double)c.WalSyncs / operations:F2} WAL flushes per operation"
            : "";
        Console.WriteLine($"  {name}: {operations} in {clock.Elapsed.TotalSeconds:F1} s = {measurement.PerSecond:F0}/s, server CPU {cpu.TotalSeconds:F2} s = {measurement.PerCpuSecond:F0} per CPU-second{postgres}, {errors} errors{(firstError is null ? "" : $" (first: {firstError})")}");
        trace?.Wait();
        return measurement;
    }

    private async Task<(long Operations, long Errors, string? FirstError)> LoopAsync(Func<int, Task<string?>> operation, TimeSpan length, bool stopWorkerOnError, bool untilDone)
    {
        long operations = 0, errors = 0;
        string? firstError = null;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(async worker =>
        {
            while (untilDone || clock.Elapsed < length)
            {
                string? error;
                try
                {
                    error = await operation(worker);
                }
                catch (HttpRequestException e)
                {
                    error = e.Message;
                }

                if (error == Done)
                {
                    return;
                }

                if (error is null)
                {
                    Interlocked.Increment(ref operations);
                    continue;
                }

                Interlocked.Increment(ref errors);
                Interlocked.CompareExchange(ref firstError, error, null);
                if (stopWorkerOnError)
                {
                    return;
                }
            }
        }));
        return (operations, errors, firstError);
    }

    /// <summary>
    /// One backchannel per server; a worker always uses the one of its server. Every request names
    /// the first server as its host, as a load balancer's public name would: OpenIddict takes its
    /// issuer from the request, and a code issued by one instance is redeemed by another.
    /// </summary>
    private sealed class Channels : IDisposable
    {
        private readonly HttpClient[] _clients;

        public Channels(IReadOnlyList<ServerProcess> servers)
        {
            _clients = [.. servers.Select(Setup.Backchannel)];
            foreach (var client in _clients)
            {
                client.DefaultRequestHeaders.Host = servers[0].Address.Authority;
            }
        }

        public HttpClient this[int worker] => _clients[worker % _clients.Length];

        public void Dispose()
        {
            foreach (var client in _clients)
            {
                client.Dispose();
            }
        }
    }

    /// <summary>A code from /oidc/auth with the session cookie; consent is remembered, so it is one 302.</summary>
    private async Task<(string Code, string Verifier)> CodeAsync(HttpClient http)
    {
        var pkce = Pkce.Create();
        using var request = new HttpRequestMessage(HttpMethod.Get, OidcIntents.AuthorizeUrl(fixture.Client.ClientId, pkce, fixture.Scope));
        request.Headers.Add("Cookie", fixture.SessionCookie);
        using var response = await http.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Redirect || response.Headers.Location is not { IsAbsoluteUri: true } location
            || !QueryHelpers.ParseQuery(location.Query).TryGetValue("code", out var code))
        {
            throw new HttpRequestException($"/oidc/auth did not redirect with a code: {await DescribeAsync(response)}");
        }

        return (code.ToString(), pkce.Verifier);
    }

    private async Task<HttpResponseMessage> RedeemAsync(HttpClient http, (string Code, string Verifier) code) =>
        await TokenAsync(http, new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = code.Code,
            ["code_verifier"] = code.Verifier,
            ["redirect_uri"] = RedirectUri,
        });

    private async Task<(string AccessToken, string RefreshToken)> FlowAsync(HttpClient http)
    {
        using var response = await RedeemAsync(http, await CodeAsync(http));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"A code was not redeemed: {await DescribeAsync(response)}");
        }

        return await ReadTokensAsync(response);
    }

    private Task<HttpResponseMessage> TokenAsync(HttpClient http, Dictionary<string, string> fields)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/oidc/token")
        {
            Content = new FormUrlEncodedContent(fields),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{Uri.EscapeDataString(fixture.Client.ClientId)}:{Uri.EscapeDataString(fixture.Client.Secret!)}")));
        return SendAndDisposeRequestAsync(http, request);
    }

    private static async Task<HttpResponseMessage> SendAndDisposeRequestAsync(HttpClient http, HttpRequestMessage request)
    {
        using (request)
        {
            return await http.SendAsync(request);
        }
    }

    private static async Task<(string AccessToken, string RefreshToken)> ReadTokensAsync(HttpResponseMessage response)
    {
        using var json = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
        return (json.RootElement.GetProperty("access_token").GetString()!, json.RootElement.GetProperty("refresh_token").GetString()!);
    }

    private static async Task<string> DescribeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return $"{(int)response.StatusCode} {response.Headers.Location} {(body.Length > 300 ? body[..300] : body)}".Trim();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
