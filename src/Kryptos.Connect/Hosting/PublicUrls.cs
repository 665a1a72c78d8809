using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Hosting;

/// <summary>
/// Absolute links for mails. With <c>Hosting:PublicOrigin</c> set (required outside Development),
/// links never depend on the request's Host header (which would allow password-reset poisoning
/// behind a permissive proxy); only a local run without it falls back to the request's origin.
/// </summary>
public sealed class PublicUrls(IOptions<HostingOptions> options, IHttpContextAccessor http)
{
    public string Absolute(string pathAndQuery) => Origin() + pathAndQuery;

    /// <summary>The origin links start with, without a trailing slash; capture it before handing work to the background.</summary>
    public string Origin()
    {
        var origin = options.Value.PublicOrigin;
        if (string.IsNullOrEmpty(origin))
        {
            var request = http.HttpContext?.Request ?? throw new InvalidOperationException("No request to take the origin from.");
            origin = $"{request.Scheme}://{request.Host}";
        }

        return origin.TrimEnd('/');
    }
}
