using System.Globalization;
using Microsoft.AspNetCore.Authentication;

namespace Kryptos.Connect.Core;

/// <summary>
/// When the person behind a session last authenticated interactively (password, or password and
/// second factor). OpenID Connect's <c>max_age</c> and <c>auth_time</c> are about that moment, not
/// about when the session cookie was last (re)issued: sliding renewal and security-stamp refreshes
/// re-issue the cookie every few minutes, and <c>IssuedUtc</c> moves with them.
/// </summary>
/// <remarks>
/// Kept in the session's <see cref="AuthenticationProperties"/>, which renewals and
/// <c>RefreshSignInAsync</c> carry over unchanged; a sign-in that starts with fresh properties (a
/// login form, a second factor, a password change) stamps it.
/// </remarks>
public static class AuthenticationTimes
{
    private const string Key = "kryptos.authenticated_at";

    public static DateTimeOffset? Get(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(Key, out var value) == true
        && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Stamps a new session with <paramref name="now"/>; a renewed one keeps its original time.</summary>
    public static void StampIfNew(AuthenticationProperties properties, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (Get(properties) is null)
        {
            properties.Items[Key] = now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }
    }
}
