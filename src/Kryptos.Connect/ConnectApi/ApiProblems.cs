using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kryptos.Connect.ConnectApi;

/// <summary>
/// The Connect API's errors: RFC 9457 problem details (<c>application/problem+json</c>) whose
/// <c>code</c> member is stable and documented, so clients branch on it rather than on prose.
/// </summary>
public static class ApiProblems
{
    public static ProblemHttpResult Create(int status, string code, string title, string detail, IDictionary<string, object?>? extensions = null)
    {
        var members = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>()) { ["code"] = code };
        return TypedResults.Problem(detail: detail, statusCode: status, title: title, extensions: members);
    }

    public static ProblemHttpResult BadRequest(string code, string detail, IDictionary<string, object?>? extensions = null) =>
        Create(StatusCodes.Status400BadRequest, code, "Bad request", detail, extensions);

    public static ProblemHttpResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "not_found", "Not found", detail);

    /// <summary>The code of an error the framework answered without a body (no route, wrong method, …).</summary>
    internal static (string Code, string Title, string Detail) ForStatus(int status) => status switch
    {
        StatusCodes.Status400BadRequest => ("bad_request", "Bad request", "The request could not be understood."),
        StatusCodes.Status404NotFound => ("not_found", "Not found", "There is no such resource in the Connect API. See /openapi/v1.json."),
        StatusCodes.Status405MethodNotAllowed => ("method_not_allowed", "Method not allowed", "This resource does not support that method. See the Allow header."),
        StatusCodes.Status406NotAcceptable => ("not_acceptable", "Not acceptable", "The Connect API answers in JSON."),
        StatusCodes.Status413PayloadTooLarge => ("payload_too_large", "Payload too large", "The request body is larger than allowed."),
        StatusCodes.Status415UnsupportedMediaType => ("unsupported_media_type", "Unsupported media type", "The request body's type is not accepted here."),
        StatusCodes.Status429TooManyRequests => ("rate_limited", "Too many requests", "Slow down and retry after the time in Retry-After."),
        _ when status >= 500 => ("internal_error", "Internal error", "An unexpected error occurred. It was logged."),
        _ => ("error", "Error", "The request failed."),
    };
}

/// <summary>
/// Under /v1, nothing is HTML: the portal's status-code pages are switched off, an answer the
/// framework left without a body (unknown route → 404, wrong method → 405 …) gets a problem
/// document, and an unhandled exception becomes a 500 problem without details.
/// </summary>
internal sealed partial class ApiErrorsMiddleware(RequestDelegate next, ILogger<ApiErrorsMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
        {
            statusCodePages.Enabled = false;
        }

        try
        {
            await next(context);
        }
        catch (Exception e) when (!context.Response.HasStarted && !context.RequestAborted.IsCancellationRequested)
        {
            LogUnhandled(logger, context.Request.Method, context.Request.Path, e);
            context.Response.Clear();
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
        }

        var response = context.Response;
        if (!response.HasStarted && response.StatusCode >= 400 && response.ContentLength is null && string.IsNullOrEmpty(response.ContentType))
        {
            var (code, title, detail) = ApiProblems.ForStatus(response.StatusCode);
            await ApiProblems.Create(response.StatusCode, code, title, detail).ExecuteAsync(context);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception in the Connect API: {Method} {Path}")]
    private static partial void LogUnhandled(ILogger logger, string method, PathString path, Exception exception);
}

/// <summary>
/// Exceptions thrown under /v1 before <see cref="ApiErrorsMiddleware"/> runs (in authentication, say)
/// reach the host's exception handler; this answers them with a problem document instead of the HTML
/// error page. (Development's exception page does not call exception handlers; the middleware covers
/// the endpoints there.)
/// </summary>
internal sealed class ApiExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        if (!ConnectApiExtensions.IsApiRequest(httpContext))
        {
            return false;
        }

        var (code, title, detail) = ApiProblems.ForStatus(StatusCodes.Status500InternalServerError);
        await ApiProblems.Create(StatusCodes.Status500InternalServerError, code, title, detail).ExecuteAsync(httpContext);
        return true;
    }
}
