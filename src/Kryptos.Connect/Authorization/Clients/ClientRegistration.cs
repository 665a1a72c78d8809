namespace Kryptos.Connect.Authorization.Clients;

/// <summary>A client registration, checked and normalised by the portal's form (see <see cref="RedirectUriRules"/>).</summary>
public sealed record ClientRegistration(
    string Name,
    bool IsConfidential,
    IReadOnlyList<string> RedirectUris,
    IReadOnlyList<string> PostLogoutRedirectUris,
    IReadOnlyList<string> AllowedOrigins,
    IReadOnlyList<string> Scopes);
