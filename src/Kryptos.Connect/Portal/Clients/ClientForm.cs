using System.ComponentModel.DataAnnotations;
using Kryptos.Connect.Authorization.Clients;
using Kryptos.Connect.Core;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Portal.Clients;

/// <summary>What the portal's create and edit forms post. Lists are one value per line.</summary>
public sealed class ClientForm
{
    public const int NameMaxLength = 100;

    [Required(ErrorMessage = "Give the client a name; users see it on the consent screen.")]
    [StringLength(NameMaxLength, ErrorMessage = "The name can be at most {1} characters.")]
    [RegularExpression(@".*\S.*", ErrorMessage = "Give the client a name; users see it on the consent screen.")]
    public string Name { get; set; } = "";

    /// <summary><c>confidential</c> (server app with a secret) or <c>public</c> (SPA, native, CLI).</summary>
    public string Type { get; set; } = ClientTypes.Confidential;

    [StringLength(6000)]
    public string? RedirectUris { get; set; }

    [StringLength(6000)]
    public string? PostLogoutRedirectUris { get; set; }

    [StringLength(6000)]
    public string? AllowedOrigins { get; set; }

    public List<string> Scopes { get; set; } = [.. KryptosScopes.Defaults];
}

/// <summary>Turns the form into a registration the client service accepts.</summary>
public static class ClientForms
{
    /// <summary>
    /// Checks every rule and returns either a registration or the errors, keyed by form field
    /// (relative to the form's prefix), each naming the offending value.
    /// </summary>
    public static (ClientRegistration? Registration, List<KeyValuePair<string, string>> Errors) ToRegistration(this ClientForm form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var errors = new List<KeyValuePair<string, string>>();
        if (form.Type is not (ClientTypes.Confidential or ClientTypes.Public))
        {
            errors.Add(new(nameof(ClientForm.Type), "Choose a web server app (confidential) or a single-page, native or CLI app (public)."));
        }

        var redirects = CheckList(form.RedirectUris, nameof(ClientForm.RedirectUris), "redirect URIs", RedirectUriRules.ValidateRedirectUri, errors);
        if (redirects.Count == 0 && !errors.Any(e => e.Key == nameof(ClientForm.RedirectUris)))
        {
            errors.Add(new(nameof(ClientForm.RedirectUris), "Add at least one redirect URI, such as https://app.example.com/callback."));
        }

        var postLogout = CheckList(form.PostLogoutRedirectUris, nameof(ClientForm.PostLogoutRedirectUris), "post-logout redirect URIs", RedirectUriRules.ValidateRedirectUri, errors);
        var origins = CheckList(form.AllowedOrigins, nameof(ClientForm.AllowedOrigins), "origins", RedirectUriRules.ValidateOrigin, errors);

        var scopes = (form.Scopes ?? []).Distinct(StringComparer.Ordinal).ToList();
        foreach (var unknown in scopes.Where(s => !KryptosScopes.IsKnown(s)))
        {
            errors.Add(new(nameof(ClientForm.Scopes), $"\"{unknown}\" is not a Kryptos scope."));
        }

        if (!scopes.Contains(KryptosScopes.OpenId))
        {
            errors.Add(new(nameof(ClientForm.Scopes), "The openid scope is required: every client signs users in with OpenID Connect."));
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        // Keep the vocabulary's order, whatever order the browser posted.
        var ordered = KryptosScopes.All.Select(s => s.Name).Where(scopes.Contains).ToList();
        return (new ClientRegistration(form.Name.Trim(), form.Type == ClientTypes.Confidential, redirects, postLogout, origins, ordered), errors);
    }

    private static List<string> CheckList(string? text, string field, string what, Func<string, string?> rule, List<KeyValuePair<string, string>> errors)
    {
        var values = RedirectUriRules.Lines(text);
        if (values.Count > RedirectUriRules.MaxPerClient)
        {
            errors.Add(new(field, $"At most {RedirectUriRules.MaxPerClient} {what} per client; you entered {values.Count}."));
            return values;
        }

        foreach (var value in values)
        {
            if (rule(value) is { } error)
            {
                errors.Add(new(field, error));
            }
        }

        return values;
    }
}
