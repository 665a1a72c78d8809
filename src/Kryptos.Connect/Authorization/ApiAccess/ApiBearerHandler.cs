using System.Text.Encodings.Web;
using Kryptos.Connect.Authorization.ApiKeys;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Kryptos.Connect.Authorization.ApiAccess;

/// <summary>
/// The Connect API's authentication: an access token from our server in the <c>Authorization:
/// Bearer</c> header (RFC 6750 §2.1), never from the URL or a form body. Validated once by
/// <see cref="AccessTokenValidator"/>, then served from <see cref="ValidatedTokenCache"/>; every
/// request asks <see cref="RevocationView"/> whether the grant still stands.
/// </summary>
/// <remarks>
/// Challenges follow RFC 6750 §3: no token → <c>WWW-Authenticate: Bearer</c> alone; a bad, expired
/// or revoked token → <c>error="invalid_token"</c>; a token sent another way → <c>invalid_request</c>.
/// The body is a problem details document with a stable <c>code</c>, like every /v1 error.
/// <para>
/// The same scheme takes a workspace API key in the <c>X-API-Key</c> header (and only there), so the
/// scope policies apply to both: the key is checked offline for its format, then against
/// <see cref="ApiKeyView"/> (no database round trip); unknown and revoked keys get the same
/// <c>invalid_api_key</c>, an expired one <c>api_key_expired</c>, a caller outside the key's allow-list
/// 403 <c>ip_not_allowed</c>.
/// </para>
/// </remarks>
internal sealed class ApiBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ValidatedTokenCache cache,
    RevocationView revocations,
    ApiKeyView keys) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string AccessTokenParameter = "access_token";

    /// <summary>The header that carries a workspace API key.</summary>
    public const string ApiKeyHeader = "X-API-Key";

    /// <summary>Where careless clients put keys; refused, because URLs end up in logs and browser history.</summary>
    private static readonly string[] ApiKeyParameters = ["api_key", "apikey", "key", ApiKeyHeader];

    private Failure? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Query.ContainsKey(AccessTokenParameter) || await HasTokenInFormAsync())
        {
            return Fail(new Failure(401, "invalid_request", "invalid_request",
                "Send the access token in the Authorization header (Bearer); tokens in the URL or a form body are refused."));
        }

        if (ApiKeyParameters.Any(Request.Query.ContainsKey) || await HasKeyInFormAsync())
        {
            return Fail(new Failure(401, "invalid_request", "invalid_request",
                "Send the API key in the X-API-Key header; keys in the URL or a form body are refused."));
        }

        var headers = Request.Headers.Authorization;
        if (Request.Headers.TryGetValue(ApiKeyHeader, out var apiKeys))
        {
            if (headers.Count > 0)
            {
                return Fail(new Failure(401, "invalid_request", "invalid_request", "Send either an access token or an API key, not both."));
            }

            return await AuthenticateKeyAsync(apiKeys);
        }

        if (headers.Count == 0)
        {
            return AuthenticateResult.NoResult();
        }

        var header = headers.Count == 1 ? headers[0] ?? "" : "";
        if (headers.Count > 1)
        {
            return Fail(new Failure(401, "invalid_request", "invalid_request", "Send one Authorization header."));
        }

        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            // Another scheme (Basic …) carries no bearer token: answered like a missing one.
            return AuthenticateResult.NoResult();
        }

        var token = header.AsSpan(7).Trim();
        if (token.IsEmpty || token.Length > TokenHash.MaxTokenLength)
        {
            return Fail(InvalidToken("The access token is malformed."));
        }

        var hash = TokenHash.Of(token);
        if (!cache.TryGet(hash, out var caller))
        {
            var validator = Context.RequestServices.GetRequiredService<AccessTokenValidator>();
            var (validated, problem) = await validator.ValidateAsync(Request, token.ToString());
            if (validated is null)
            {
                return Fail(InvalidToken(problem!));
            }

            caller = validated;
            cache.Add(hash, caller);
        }

        AccessState state;
        try
        {
            state = await revocations.CheckAsync(caller, Context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lookup of a grant newer than the view failed (database down): refuse, never guess.
            Logger.LogError(e, "Checking the grant of an access token failed");
            state = AccessState.Unavailable;
        }

        switch (state)
        {
            case AccessState.Revoked:
                cache.Remove(hash);
                return Fail(InvalidToken("The access token was revoked."));
            case AccessState.Unavailable:
                return Fail(Unavailable());
        }

        Context.Features.Set(caller);
        return AuthenticateResult.Success(new AuthenticationTicket(caller.Principal, Scheme.Name));
    }

    private async Task<AuthenticateResult> AuthenticateKeyAsync(Microsoft.Extensions.Primitives.StringValues values)
    {
        if (values.Count != 1)
        {
            return Fail(new Failure(401, "invalid_request", "invalid_request", "Send one X-API-Key header."));
        }

        var key = (values[0] ?? "").Trim();
        if (!ApiKeyFormat.IsWellFormed(key))
        {
            return Fail(InvalidKey());
        }

        ApiKeyState state;
        ApiCaller? caller;
        try
        {
            (state, caller) = await keys.CheckAsync(key, Context.Connection.RemoteIpAddress, Context.RequestAborted);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The lookup of a key newer than the view failed (database down): refuse, never guess.
            Logger.LogError(e, "Checking an API key failed");
            (state, caller) = (ApiKeyState.Unavailable, null);
        }

        switch (state)
        {
            case ApiKeyState.Allowed:
                Context.Features.Set(caller!);
                return AuthenticateResult.Success(new AuthenticationTicket(caller!.Principal, Scheme.Name));
            case ApiKeyState.Expired:
                return Fail(new Failure(401, "invalid_token", "api_key_expired", "The API key has expired. Create a new one in the workspace's API keys."));
            case ApiKeyState.AddressNotAllowed:
                return Fail(new Failure(403, null, "ip_not_allowed", "The API key does not allow requests from this IP address."));
            case ApiKeyState.Unavailable:
                return Fail(Unavailable());
            default:
                return Fail(InvalidKey());
        }
    }

    private static Failure InvalidKey() => new(401, "invalid_token", "invalid_api_key", "The API key is not valid or was revoked.");

    private static Failure Unavailable() => new(503, null, "temporarily_unavailable", "Access cannot be checked right now. Try again in a few seconds.");

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var failure = _failure ?? new Failure(401, null, "unauthorized", "This endpoint needs an access token in the Authorization header (Bearer) or an API key in the X-API-Key header.");
        var title = "Unauthorized";
        if (failure.Status == 401)
        {
            Response.Headers.WWWAuthenticate = failure.Error is null
                ? "Bearer"
                : $"Bearer error=\"{failure.Error}\", error_description=\"{failure.Description}\"";
        }
        else if (failure.Status == 403)
        {
            title = "Forbidden";
        }
        else
        {
            title = "Service unavailable";
            Response.Headers.RetryAfter = "5";
        }

        await WriteProblemAsync(Context, failure.Status, failure.Code, title, failure.Description);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblemAsync(Context, StatusCodes.Status403Forbidden, "forbidden", "Forbidden", "The access token does not allow this.");

    /// <summary>Writes an RFC 9457 problem details body with a stable <c>code</c>, whatever the request's Accept header.</summary>
    internal static Task WriteProblemAsync(HttpContext context, int status, string code, string title, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: new Dictionary<string, object?> { ["code"] = code })
            .ExecuteAsync(context);

    private static Failure InvalidToken(string description) => new(401, "invalid_token", "invalid_token", description);

    private AuthenticateResult Fail(Failure failure)
    {
        _failure = failure;
        return AuthenticateResult.Fail(failure.Description);
    }

    private Task<bool> HasTokenInFormAsync() => FormHasAnyAsync([AccessTokenParameter]);

    private Task<bool> HasKeyInFormAsync() => FormHasAnyAsync(ApiKeyParameters);

    private async Task<bool> FormHasAnyAsync(string[] names)
    {
        if (!Request.HasFormContentType)
        {
            return false;
        }

        try
        {
            var form = await Request.ReadFormAsync(Context.RequestAborted);
            return names.Any(form.ContainsKey);
        }
        catch (InvalidDataException)
        {
            // An unreadable form is not an authentication problem; the endpoint answers it.
            return false;
        }
    }

    /// <summary>Why authentication failed: the status, the RFC 6750 error for <c>WWW-Authenticate</c> (null when no token was sent), the problem's code and detail.</summary>
    private sealed record Failure(int Status, string? Error, string Code, string Description);
}
