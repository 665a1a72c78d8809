using System.Text;
using System.Text.Encodings.Web;

namespace Kryptos.Samples.WebApp;

/// <summary>The sample's few pages, as plain HTML: every value from outside is HTML-encoded.</summary>
public static class SamplePages
{
    public const string AppName = "Kryptos Sample Web App";

    public static Task WriteAsync(HttpResponse response, string html)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.ContentType = "text/html; charset=utf-8";
        return response.WriteAsync(html);
    }

    /// <summary>Not configured yet: what to register in the Kryptos Developer Portal, and which settings to set.</summary>
    public static string Setup(string origin, string? authority) => Layout("Connect to Kryptos", $"""
        <h1>Connect this app to Kryptos</h1>
        <p>This app signs its users in with Kryptos, but it does not know its client yet.</p>
        <ol>
          <li>In the Kryptos Developer Portal, open a workspace, then <strong>OAuth clients → Create client</strong>.
            Choose <strong>Web server app (confidential)</strong> and register:
            <dl>
              <dt>Redirect URI</dt><dd><code id="redirect-uri">{E(origin)}/signin-oidc</code></dd>
              <dt>Post-logout redirect URI</dt><dd><code id="post-logout-redirect-uri">{E(origin)}/signout-callback-oidc</code></dd>
              <dt>Scopes</dt><dd>{string.Join(" ", KryptosSettings.Scopes.Select(s => $"<code>{E(s)}</code>"))} (all preselected)</dd>
            </dl>
          </li>
          <li>Set <code>Kryptos:ClientId</code> and <code>Kryptos:ClientSecret</code> (and <code>Kryptos:Authority</code>,
            now <code>{E(string.IsNullOrEmpty(authority) ? "not set" : authority)}</code>) and restart the app.</li>
        </ol>
        """);

    public static string SignedOut(string? authority) => Layout(AppName, $"""
        <h1>{E(AppName)}</h1>
        <p>A third-party app that reads your crypto portfolio from Kryptos, with your consent.</p>
        <p><a class="button" href="/signin">Sign in with Kryptos</a></p>
        <p class="muted">Kryptos at <code>{E(authority ?? "")}</code></p>
        """);

    public static string SignedIn(string name, string? email, IReadOnlyList<string> scopes, string antiforgeryField, string antiforgeryToken)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var list = new StringBuilder();
        foreach (var scope in scopes)
        {
            list.Append(CultureInvariant($"<li><code>{E(scope)}</code></li>"));
        }

        return Layout(AppName, $"""
            <h1>Hello, <span id="user-name">{E(name)}</span></h1>
            <p>You are signed in with Kryptos{(string.IsNullOrEmpty(email) ? "" : $" as <span id=\"user-email\">{E(email)}</span>")}.</p>
            <h2 id="scopes-heading">Granted scopes</h2>
            <ul aria-labelledby="scopes-heading">{list}</ul>
            <form method="post" action="/signout">
              <input type="hidden" name="{E(antiforgeryField)}" value="{E(antiforgeryToken)}">
              <button type="submit">Sign out</button>
            </form>
            """);
    }

    /// <summary>The sign-in came back with an error or could not be completed.</summary>
    public static string SignInFailed(string? error, string? description, string? explanation = null)
    {
        var denied = error == KryptosSignIn.AccessDenied;
        explanation ??= denied
            ? "You chose not to share your Kryptos data with this app. Nothing was shared, and you are not signed in."
            : "Kryptos could not sign you in to this app. Try again; if it keeps failing, contact the app's publisher.";
        var details = error is null
            ? ""
            : $"""<p>Kryptos answered <code id="error-code">{E(error)}</code>{(string.IsNullOrEmpty(description) ? "" : $": <span id=\"error-description\">{E(description)}</span>")}</p>""";
        return Layout("Sign-in did not complete", $"""
            <h1>{(denied ? "Access denied" : "Sign-in did not complete")}</h1>
            <p role="alert">{E(explanation)}</p>
            {details}
            <p><a href="/">Back to {E(AppName)}</a></p>
            """);
    }

    /// <summary>An unexpected error (outside Development, where the exception page shows instead).</summary>
    public static string Error() => Layout("Error", $"""
        <h1>Something went wrong</h1>
        <p role="alert">The app could not complete your request. Try again in a moment.</p>
        <p><a href="/">Back to {E(AppName)}</a></p>
        """);

    private static string Layout(string title, string body) => $$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{E(title)}} · {{E(AppName)}}</title>
          <style>
            body { font: 16px/1.5 system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; padding: 0 1rem; color: #1f2937; }
            code { background: #f3f4f6; padding: 0 .25rem; border-radius: 4px; }
            .button, button { display: inline-block; background: #4f46e5; color: #fff; border: 0; border-radius: 6px; padding: .5rem 1rem; text-decoration: none; font: inherit; cursor: pointer; }
            .muted { color: #6b7280; font-size: .875rem; }
            [role=alert] { border-left: 4px solid #dc2626; padding-left: .75rem; }
          </style>
        </head>
        <body>
        <main>
        {{body}}
        </main>
        </body>
        </html>
        """;

    private static string E(string value) => HtmlEncoder.Default.Encode(value);

    private static string CultureInvariant(FormattableString value) => FormattableString.Invariant(value);
}
