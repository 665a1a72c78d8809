using Microsoft.AspNetCore;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// A POST body the form reader refuses (a value over <c>Hosting:MaxFormValueBytes</c>, more fields than
/// the form limit, bytes it cannot decode) makes OpenIddict's own <c>ReadFormAsync</c> throw, which
/// every OIDC POST endpoint would answer with a 500 and a stack trace in the log. This handler reads
/// the form first, before any endpoint extracts its request, and turns the failure into a protocol
/// error: 400 <c>invalid_request</c>, as JSON on the token, PAR, revocation, introspection and userinfo
/// endpoints, and on our error page at the authorization and end-session endpoints (their error
/// passthrough). A successful read is cached by ASP.NET Core, so OpenIddict does not read twice.
/// </summary>
internal sealed partial class RejectUnreadableRequestBodies(ILogger<RejectUnreadableRequestBodies> logger) : IOpenIddictServerHandler<ProcessRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessRequestContext>()
            .UseSingletonHandler<RejectUnreadableRequestBodies>()
            // After the endpoint is known, before any endpoint's Extract…Request reads the body.
            .SetOrder(OpenIddictServerAspNetCoreHandlers.ValidateHostHeader.Descriptor.Order + 250)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ProcessRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Transaction.GetHttpRequest();
        if (context.EndpointType == OpenIddictServerEndpointType.Unknown || request is null
            || !HttpMethods.IsPost(request.Method) || !request.HasFormContentType)
        {
            return;
        }

        try
        {
            await request.ReadFormAsync(context.CancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or BadHttpRequestException)
        {
            // One line, no stack trace: a bad body is the client's mistake, not the server's. The
            // reader's message names the limit, never the content.
            LogUnreadableBody(logger, context.EndpointType, exception.GetType().Name, exception.Message);
            context.Reject(Errors.InvalidRequest, "The request body is not a valid form or exceeds the form limits.");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected an unreadable form body at the {Endpoint} endpoint ({ExceptionType}: {Reason})")]
    private static partial void LogUnreadableBody(ILogger logger, OpenIddictServerEndpointType endpoint, string exceptionType, string reason);
}
