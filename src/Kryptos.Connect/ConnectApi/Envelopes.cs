using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kryptos.Connect.ConnectApi;

/// <summary>One resource: <c>{ "data": { … } }</c>. The envelope leaves room for metadata without breaking clients.</summary>
public sealed record DataEnvelope<T>(T Data);

/// <summary>Every list of the Connect API: <c>{ "data": [ … ], "pagination": { … } }</c>.</summary>
public sealed record ListEnvelope<T>(IReadOnlyList<T> Data, Pagination Pagination);

public static class ListEnvelope
{
    /// <summary>A page of <paramref name="total"/> items; <c>hasMore</c> says whether another page follows.</summary>
    public static ListEnvelope<T> Create<T>(IReadOnlyList<T> items, PageRequest page, int total)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(page);
        return new(items, new Pagination(page.Limit, page.Offset, total, (long)page.Offset + items.Count < total));
    }
}

/// <param name="Limit">The page size that was applied.</param>
/// <param name="Offset">How many items were skipped.</param>
/// <param name="Total">How many items match, over all pages.</param>
/// <param name="HasMore">Whether a request with <c>offset + limit</c> returns more.</param>
public sealed record Pagination(int Limit, int Offset, int Total, bool HasMore);

/// <summary>
/// <c>?limit=&amp;offset=</c> of a list: limit 1–<see cref="MaxLimit"/> (default <see cref="DefaultLimit"/>),
/// offset ≥ 0. A bad value is not silently clamped: the request gets a 400 problem
/// (<c>invalid_limit</c>, <c>invalid_offset</c>) from <see cref="PagingFilter"/>.
/// </summary>
public sealed record PageRequest(int Limit, int Offset) : IBindableFromHttpContext<PageRequest>
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    /// <summary>Why the query was refused, when it was.</summary>
    public ProblemHttpResult? Problem { get; private init; }

    public IQueryable<T> Apply<T>(IQueryable<T> query) => query.Skip(Offset).Take(Limit);

    public IEnumerable<T> Apply<T>(IEnumerable<T> items) => items.Skip(Offset).Take(Limit);

    public static ValueTask<PageRequest?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        return ValueTask.FromResult<PageRequest?>(Parse(
            query.TryGetValue("limit", out var limit) ? [.. limit] : null,
            query.TryGetValue("offset", out var offset) ? [.. offset] : null));
    }

    /// <summary>Reads the two values; <paramref name="limit"/> and <paramref name="offset"/> are null when absent.</summary>
    public static PageRequest Parse(string?[]? limit, string?[]? offset)
    {
        var size = DefaultLimit;
        if (limit is not null)
        {
            if (limit.Length != 1 || !TryParse(limit[0], out size) || size < 1 || size > MaxLimit)
            {
                return Refused("invalid_limit", $"limit must be one whole number from 1 to {MaxLimit} (default {DefaultLimit}).");
            }
        }

        var skip = 0;
        if (offset is not null)
        {
            if (offset.Length != 1 || !TryParse(offset[0], out skip) || skip < 0)
            {
                return Refused("invalid_offset", $"offset must be one whole number from 0 to {int.MaxValue}.");
            }
        }

        return new PageRequest(size, skip);
    }

    /// <summary>ASCII digits only: int.TryParse alone would also take trailing NUL characters.</summary>
    private static bool TryParse(string? text, out int value)
    {
        value = 0;
        return text is { Length: > 0 and <= 10 } && text.All(char.IsAsciiDigit)
            && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static PageRequest Refused(string code, string detail) =>
        new(DefaultLimit, 0) { Problem = ApiProblems.BadRequest(code, detail) };
}

/// <summary>Answers a list request whose <see cref="PageRequest"/> was refused, before its handler runs.</summary>
internal sealed class PagingFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        foreach (var argument in context.Arguments)
        {
            if (argument is PageRequest { Problem: { } problem })
            {
                return problem;
            }
        }

        return await next(context);
    }
}
