using System.Net;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// The TLS-terminating proxy in front of a <see cref="HostProcess"/>, as a client handler: a request
/// for <c>https://localhost/…</c> goes to the process over plain http with <c>X-Forwarded-Proto: https</c>
/// (the process trusts 127.0.0.1 as its proxy), so the host sees what it sees in production: https,
/// its public origin, secure <c>__Host-</c> cookies. The handler keeps those cookies for https://localhost
/// as a browser would, which HttpClient's own cookie handling cannot do over the plain-http hop.
/// </summary>
public sealed class ForwardingProxyHandler : DelegatingHandler
{
    private static readonly Uri Origin = new("https://localhost");

    private readonly CookieContainer _cookies = new();
    private readonly Uri _process;
    private readonly bool _handleCookies;

    /// <param name="process">The process's plain-http address.</param>
    /// <param name="handleCookies">Whether to keep cookies as a browser does (a client's server keeps none).</param>
    /// <param name="cookieHeader">Cookies held from the start, as a Cookie header (<c>a=1; b=2</c>).</param>
    public ForwardingProxyHandler(Uri process, bool handleCookies, string? cookieHeader = null)
        : base(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        _process = process;
        _handleCookies = handleCookies;
        foreach (var cookie in (cookieHeader ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = cookie.IndexOf('=', StringComparison.Ordinal);
            _cookies.Add(Origin, new Cookie(cookie[..equals], cookie[(equals + 1)..], "/") { Secure = true, HttpOnly = true });
        }
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var asked = request.RequestUri!;
        if (_handleCookies && _cookies.GetCookieHeader(asked) is { Length: > 0 } cookies)
        {
            request.Headers.Add("Cookie", cookies);
        }

        request.RequestUri = new UriBuilder(asked) { Scheme = "http", Host = _process.Host, Port = _process.Port }.Uri;
        request.Headers.Host = asked.Authority;
        request.Headers.Add("X-Forwarded-Proto", asked.Scheme);
        request.Headers.Add("X-Forwarded-For", "127.0.0.1");
        var response = await base.SendAsync(request, cancellationToken);
        // As the caller sees it: the address it asked for (redirect checks and cookie reads use it).
        request.RequestUri = asked;
        if (_handleCookies && response.Headers.TryGetValues("Set-Cookie", out var set))
        {
            foreach (var cookie in set)
            {
                _cookies.SetCookies(asked, cookie);
            }
        }

        return response;
    }
}
