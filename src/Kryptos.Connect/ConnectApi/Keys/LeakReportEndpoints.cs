using System.Text.Json;
using Kryptos.Connect.Authorization.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kryptos.Connect.ConnectApi.Keys;

/// <param name="Message">Always the same sentence, whatever the report held.</param>
public sealed record LeakReportReceipt(string Message);

/// <summary>
/// <c>POST /v1/keys/leaked</c>: secret scanners (and anyone who finds a key) report strings that look
/// like Kryptos API keys; every live key among them is revoked and its workspace's owners are told.
/// Public, rate limited per IP, and it answers the same 202 whatever it finds, so it reveals nothing.
/// </summary>
public static class LeakReportEndpoints
{
    public const string ReceiptMessage = "Thank you. Every live Kryptos API key among these strings is revoked, and its owners are told.";

    public static RouteGroupBuilder MapKeyLeakReports(this RouteGroupBuilder v1)
    {
        ArgumentNullException.ThrowIfNull(v1);
        v1.MapPost("/keys/leaked", ReportAsync)
            .WithTags("API keys")
            .WithName("ReportLeakedKeys")
            .WithSummary("Report leaked API keys")
            .WithDescription($"""
                For secret scanners: the body is a JSON array of at most {ApiKeyLeakReports.MaxCandidates} strings of at most
                {ApiKeyLeakReports.MaxCandidateLength} characters, such as `["kryptos_live_…"]`. Every live API key among them is
                revoked at once, and the owners of its workspace get a mail and an audit entry. No authentication; the
                answer is the same 202 whatever the strings are. Limited to {ApiKeyLeakReports.PermitsPerMinute} reports a minute per IP address.
                """)
            .Accepts<string[]>("application/json")
            .Produces<LeakReportReceipt>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .AllowAnonymous()
            .RequireRateLimiting(ApiKeyLeakReports.RateLimitPolicy);
        return v1;
    }

    public static async Task<Results<Accepted<LeakReportReceipt>, ProblemHttpResult>> ReportAsync(
        HttpRequest request, ApiKeyService keys, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(loggers);
        if (!request.HasJsonContentType())
        {
            return ApiProblems.BadRequest("invalid_body", "Send a JSON array of strings (Content-Type: application/json).");
        }

        string[]? candidates;
        try
        {
            candidates = await JsonSerializer.DeserializeAsync<string[]>(request.Body, JsonSerializerOptions.Default, cancellationToken);
        }
        catch (JsonException)
        {
            return ApiProblems.BadRequest("invalid_body", "The body must be a JSON array of strings.");
        }

        if (candidates is null || candidates.Any(c => c is null))
        {
            return ApiProblems.BadRequest("invalid_body", "The body must be a JSON array of strings.");
        }

        if (candidates.Length > ApiKeyLeakReports.MaxCandidates || candidates.Any(c => c.Length > ApiKeyLeakReports.MaxCandidateLength))
        {
            return ApiProblems.BadRequest("invalid_body",
                $"Send at most {ApiKeyLeakReports.MaxCandidates} strings of at most {ApiKeyLeakReports.MaxCandidateLength} characters.");
        }

        var revoked = await keys.ReportLeakedAsync(candidates, cancellationToken);
        if (revoked > 0)
        {
            loggers.CreateLogger(typeof(LeakReportEndpoints)).LogWarning("A leak report revoked {Count} API keys", revoked);
        }

        return TypedResults.Accepted((string?)null, new LeakReportReceipt(ReceiptMessage));
    }
}
