namespace Kryptos.Connect.Authorization.Clients;

/// <summary>
/// Registration rules for redirect URIs, post-logout redirect URIs and CORS origins (RFC 6749 §3.1.2,
/// RFC 8252 §7, RFC 9700 §2.1). Each check returns null when the value is acceptable, or a sentence
/// that names the value and says what is wrong.
/// </summary>
public static class RedirectUriRules
{
    public const int MaxLength = 512;
    public const int MaxPerClient = 10;

    private static readonly string[] LoopbackHosts = ["127.0.0.1", "[::1]", "localhost"];
    private static readonly string[] ForbiddenSchemes = ["javascript", "data", "file", "vbscript", "about", "blob", "ftp", "ws", "wss"];

    public static string? ValidateRedirectUri(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxLength)
        {
            return $"\"{Shorten(value)}\" is longer than {MaxLength} characters.";
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            return $"\"{value}\" contains a wildcard; redirect URIs must match exactly.";
        }

        if (value.Any(char.IsWhiteSpace))
        {
            return $"\"{value}\" contains a space.";
        }

        // On Unix "/callback" parses as an absolute file URI; an absolute URI starts with its scheme.
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || !value.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return $"\"{value}\" is not an absolute URI.";
        }

        if (value.Contains('#', StringComparison.Ordinal))
        {
            return $"\"{value}\" has a fragment (#…); redirect URIs cannot have one.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"\"{value}\" contains user information (user@host); remove it.";
        }

        var scheme = uri.Scheme;
        if (scheme == Uri.UriSchemeHttps)
        {
            return string.IsNullOrEmpty(uri.Host) ? $"\"{value}\" has no host." : null;
        }

        if (scheme == Uri.UriSchemeHttp)
        {
            return IsLoopback(uri)
                ? null
                : $"\"{value}\" uses http; only https is allowed, except for loopback addresses (http://127.0.0.1, http://[::1], http://localhost).";
        }

        if (ForbiddenSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase))
        {
            return $"\"{value}\" uses the {scheme}: scheme, which cannot be a redirect target.";
        }

        // RFC 8252 §7.1: private-use schemes are reverse domain names, such as com.example.app:/callback.
        return scheme.Contains('.', StringComparison.Ordinal)
            ? null
            : $"\"{value}\": a native app's private-use scheme must be a reverse domain name you control, such as com.example.app:/callback.";
    }

    /// <summary>A browser origin: scheme, host and optional port, nothing else.</summary>
    public static string? ValidateOrigin(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length > MaxLength)
        {
            return $"\"{Shorten(value)}\" is longer than {MaxLength} characters.";
        }

        if (value.Contains('*', StringComparison.Ordinal))
        {
            return $"\"{value}\" contains a wildcard; list each origin.";
        }

        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !value.StartsWith(uri.Scheme + ":", StringComparison.OrdinalIgnoreCase))
        {
            return $"\"{value}\" is not an origin such as https://app.example.com.";
        }

        if (uri.AbsolutePath != "/" || value.EndsWith('/') || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            return $"\"{value}\" must be an origin only (scheme, host and port), without a path or a trailing slash.";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !IsLoopback(uri))
        {
            return $"\"{value}\" uses http; only https origins are allowed, except loopback.";
        }

        return null;
    }

    /// <summary>Splits a textarea into trimmed, non-empty, distinct lines.</summary>
    public static List<string> Lines(string? text) =>
        [.. (text ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    private static bool IsLoopback(Uri uri) => LoopbackHosts.Contains(uri.Host, StringComparer.OrdinalIgnoreCase);

    private static string Shorten(string value) => value.Length > 60 ? value[..60] + "…" : value;
}
