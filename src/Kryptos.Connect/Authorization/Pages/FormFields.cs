using OpenIddict.Abstractions;

namespace Kryptos.Connect.Authorization.Pages;

/// <summary>
/// The fields our confirmation forms (consent, logout) add to a protocol request. They are dropped
/// when the request's parameters are re-posted as hidden inputs.
/// </summary>
public static class FormFields
{
    public const string Decision = "kryptos_decision";
    public const string Workspace = "kryptos_workspace";
    public const string Antiforgery = "__RequestVerificationToken";

    /// <summary>The protocol parameters of <paramref name="request"/>, to re-post in a form.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ProtocolParameters(OpenIddictRequest? request) =>
        request is null ? [] : [.. request.GetParameters()
            .Where(p => p.Key is not (Decision or Workspace or Antiforgery))
            .Select(p => new KeyValuePair<string, string>(p.Key, p.Value.ToString() ?? ""))];
}
