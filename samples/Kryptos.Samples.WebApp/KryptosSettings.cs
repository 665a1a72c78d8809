namespace Kryptos.Samples.WebApp;

/// <summary>The <c>Kryptos</c> configuration section: where Kryptos is and who this app is there.</summary>
public sealed class KryptosSettings
{
    public const string SectionName = "Kryptos";

    /// <summary>The issuer, such as <c>https://connect.kryptos.example/oidc</c> (no trailing slash; discovery is read from below it).</summary>
    public string? Authority { get; set; }

    /// <summary>The client ID the Developer Portal showed when the client was created (<c>kc_…</c>).</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret the portal showed once (<c>kryptos_cs_…</c>). Keep it out of source control.</summary>
    public string? ClientSecret { get; set; }

    public bool IsConfigured =>
        Uri.TryCreate(Authority, UriKind.Absolute, out _) && !string.IsNullOrWhiteSpace(ClientId) && !string.IsNullOrWhiteSpace(ClientSecret);

    /// <summary>Plain http is for a Kryptos running on the developer's machine only.</summary>
    public bool IsHttpAuthority => Uri.TryCreate(Authority, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttp;

    /// <summary>What the app asks for: sign-in, the user's name and email, refresh tokens, and read access to portfolios.</summary>
    public static IReadOnlyList<string> Scopes { get; } = ["openid", "profile", "email", "offline_access", "portfolios:read"];
}
