using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Kryptos.Samples.WebApp;

/// <summary>
/// "Sign in with Kryptos" with ASP.NET Core's own OpenID Connect handler: authorization code flow
/// with PKCE, the client secret sent to the token endpoint, tokens kept in the (encrypted) session
/// cookie, profile claims from the userinfo endpoint.
/// </summary>
public static partial class KryptosSignIn
{
    /// <summary>The authentication property that remembers the scopes Kryptos granted.</summary>
    public const string GrantedScopesProperty = "kryptos.granted_scopes";

    /// <summary>The error of an authorization response when the user said no (RFC 6749 §4.1.2.1).</summary>
    public const string AccessDenied = "access_denied";

    public static void Configure(OpenIdConnectOptions options, KryptosSettings kryptos)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(kryptos);
        options.Authority = kryptos.Authority;
        options.ClientId = kryptos.ClientId;
        options.ClientSecret = kryptos.ClientSecret;
        // Discovery over plain http is refused unless allowed; allow it only for an http authority
        // (a Kryptos on the developer's machine), never for an https one.
        options.RequireHttpsMetadata = !kryptos.IsHttpAuthority;

        options.ResponseType = OpenIdConnectResponseType.Code;
        options.UsePkce = true; // Kryptos requires PKCE (S256) from every client.
        options.Scope.Clear();
        foreach (var scope in KryptosSettings.Scopes)
        {
            options.Scope.Add(scope);
        }

        options.SaveTokens = true;
        options.GetClaimsFromUserInfoEndpoint = true;
        // Keep the claim names Kryptos sends (sub, name, email) instead of the long WS-* URIs.
        options.MapInboundClaims = false;
        options.TokenValidationParameters.NameClaimType = "name";
        options.ClaimActions.MapUniqueJsonKey("email_verified", "email_verified");

        options.Events.OnTokenValidated = RememberGrantedScopes;
        options.Events.OnRemoteFailure = ShowFailureAsync;
    }

    /// <summary>
    /// Starts the sign-in. Before the browser is sent to Kryptos, the handler reads Kryptos's discovery
    /// document and pushes the authorization request (PAR, which Kryptos advertises) with the client's
    /// credentials; a Kryptos that cannot be reached or a wrong client ID or secret fails here, and
    /// the developer gets a page that says so instead of an exception.
    /// </summary>
    public static async Task ChallengeAsync(HttpContext context, AuthenticationProperties properties)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            await context.ChallengeAsync(OpenIdConnectDefaults.AuthenticationScheme, properties);
        }
        catch (Exception e) when (e is OpenIdConnectProtocolException or InvalidOperationException or HttpRequestException && !context.Response.HasStarted)
        {
            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KryptosSignIn));
            LogChallengeFailed(logger, e);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status502BadGateway;
            context.Response.Headers.CacheControl = "no-store";
            var html = e is OpenIdConnectProtocolException
                ? SamplePages.SignInFailed(e.Data["error"] as string, e.Data["error_description"] as string)
                : SamplePages.SignInFailed(null, null, "Kryptos could not be reached. Check Kryptos:Authority and that Kryptos is running.");
            await SamplePages.WriteAsync(context.Response, html);
        }
    }

    /// <summary>The scopes of the session, as remembered at sign-in.</summary>
    public static IReadOnlyList<string> GrantedScopes(AuthenticationProperties? properties) =>
        properties?.Items.TryGetValue(GrantedScopesProperty, out var scopes) == true && scopes is not null
            ? scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            : [];

    /// <summary>
    /// The user may grant fewer scopes than asked (Kryptos also caps them by the user's role in the
    /// shared workspace). The token response says which ones were granted; when it does not, the
    /// access token (a JWT) does.
    /// </summary>
    private static Task RememberGrantedScopes(TokenValidatedContext context)
    {
        var scopes = context.TokenEndpointResponse?.Scope;
        if (string.IsNullOrEmpty(scopes) && context.TokenEndpointResponse?.AccessToken is { Length: > 0 } accessToken)
        {
            scopes = ScopeClaim(accessToken);
        }

        if (context.Properties is not null && !string.IsNullOrEmpty(scopes))
        {
            context.Properties.Items[GrantedScopesProperty] = scopes;
        }

        return Task.CompletedTask;
    }

    /// <summary>The access token's <c>scope</c> claim, read for display only: this app is not the API that validates it.</summary>
    private static string? ScopeClaim(string accessToken)
    {
        var handler = new JsonWebTokenHandler();
        if (!handler.CanReadToken(accessToken))
        {
            return null;
        }

        var token = handler.ReadJsonWebToken(accessToken);
        if (token.TryGetPayloadValue<string>("scope", out var scope))
        {
            return scope;
        }

        return token.TryGetPayloadValue<string[]>("scope", out var scopes) ? string.Join(' ', scopes) : null;
    }

    /// <summary>
    /// A sign-in that came back with an error (the user pressed Deny, the request was refused) or
    /// could not be completed: a page that says what happened instead of an exception.
    /// </summary>
    private static async Task ShowFailureAsync(RemoteFailureContext context)
    {
        context.HandleResponse();
        var error = context.Failure?.Data["error"] as string;
        var description = context.Failure?.Data["error_description"] as string;
        var logger = context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KryptosSignIn));
        LogSignInFailed(logger, error ?? "(none)", context.Failure);

        var response = context.Response;
        response.StatusCode = error == AccessDenied ? StatusCodes.Status403Forbidden : StatusCodes.Status400BadRequest;
        response.Headers.CacheControl = "no-store";
        await SamplePages.WriteAsync(response, SamplePages.SignInFailed(error, description));
    }

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Could not start the sign-in with Kryptos")]
    private static partial void LogChallengeFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Sign-in with Kryptos failed: {Error}")]
    private static partial void LogSignInFailed(ILogger logger, string error, Exception? exception);
}
