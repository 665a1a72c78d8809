using Kryptos.Connect.Authorization.ApiKeys;

namespace Kryptos.Connect.Portal.ApiKeys;

/// <summary>The create form as posted: every value is text and is validated here, each error for its own field.</summary>
public sealed class ApiKeyForm
{
    public const string Never = "never";

    public string? Name { get; set; }

    /// <summary>Empty when nothing was posted (so unchecking every box is an error, not the defaults).</summary>
    public List<string> Scopes { get; set; } = [];

    /// <summary>"30", "90", "365" or "never".</summary>
    public string? Expiry { get; set; }

    public string? AllowedNetworks { get; set; }

    /// <summary>A blank form: every data scope checked, 90 days.</summary>
    public static ApiKeyForm WithDefaults() => new() { Scopes = [.. ApiKeyScopes.All.Select(s => s.Name)], Expiry = "90" };

    public (ApiKeyRequest? Request, List<(string Field, string Message)> Errors) ToRequest()
    {
        var errors = new List<(string, string)>();
        var name = (Name ?? "").Trim();
        if (name.Length == 0)
        {
            errors.Add((nameof(Name), "Give the key a name, such as the server that uses it."));
        }
        else if (name.Length > ApiKey.NameMaxLength)
        {
            errors.Add((nameof(Name), $"Use at most {ApiKey.NameMaxLength} characters."));
        }
        else if (name.Any(char.IsControl))
        {
            errors.Add((nameof(Name), "The name cannot contain control characters."));
        }

        var scopes = Scopes.Where(s => !string.IsNullOrEmpty(s)).Distinct(StringComparer.Ordinal).ToList();
        if (scopes.Count == 0)
        {
            errors.Add((nameof(Scopes), "Choose at least one scope."));
        }
        else if (scopes.FirstOrDefault(s => !ApiKeyScopes.IsAllowed(s)) is { } unknown)
        {
            errors.Add((nameof(Scopes), $"\"{Shorten(unknown)}\" is not a scope an API key can have."));
        }

        TimeSpan? lifetime = null;
        switch (Expiry)
        {
            case "30" or "90" or "365":
                lifetime = TimeSpan.FromDays(int.Parse(Expiry, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case Never:
                break;
            default:
                errors.Add((nameof(Expiry), "Choose 30, 90 or 365 days, or never."));
                break;
        }

        var (networks, networkError) = ApiKeyNetworks.Parse(AllowedNetworks);
        if (networkError is not null)
        {
            errors.Add((nameof(AllowedNetworks), networkError));
        }

        return errors.Count > 0 ? (null, errors) : (new ApiKeyRequest(name, scopes, lifetime, networks!), errors);
    }

    private static string Shorten(string text) =>
        new([.. (text.Length > 40 ? text[..40] + "…" : text).Select(c => char.IsControl(c) ? '?' : c)]);
}
