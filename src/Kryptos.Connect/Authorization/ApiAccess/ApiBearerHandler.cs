using System.Text.Encodings.Web;
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
/// </remarks>
internal sealed class ApiBearerHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ValidatedTokenCache cache,
    RevocationView revocations) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    private const string AccessTokenParameter = "access_token";

    private Failure? _failure;

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Query.ContainsKey(AccessTokenParameter) || await HasTokenInFormAsync())
        {
            return Fail(new Failure(401, "invalid_request", "invalid_request",
                "Send the access token in the Authorization header (Bearer); tokens in the URL or a form body are refused."));
        }

        var headers = Request.Headers.Authorization;
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
                return Fail(new Failure(503, null, "temporarily_unavailable", "Access cannot be checked right now. Try again in a few seconds."));
        }

        Context.Features.Set(caller);
        return AuthenticateResult.Success(new AuthenticationTicket(caller.Principal, Scheme.Name));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        await HandleAuthenticateOnceSafeAsync();
        var failure = _failure ?? new Failure(401, null, "unauthorized", "This endpoint needs an access token in the Authorization header (Bearer).");
        if (failure.Status == 401)
        {
            Response.Headers.WWWAuthenticate = failure.Error is null
                ? "Bearer"
                : $"Bearer error=\"{failure.Error}\", error_description=\"{failure.Description}\"";
        }
        else
        {
            Response.Headers.RetryAfter = "5";
        }

        await WriteProblemAsync(Context, failure.Status, failure.Code, failure.Status == 401 ? "Unauthorized" : "Service unavailable", failure.Description);
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

    private async Task<bool> HasTokenInFormAsync()
    {
        if (!Request.HasFormContentType)
        {
            return false;
        }

        try
        {
            return (await Request.ReadFormAsync(Context.RequestAborted)).ContainsKey(AccessTokenParameter);
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
