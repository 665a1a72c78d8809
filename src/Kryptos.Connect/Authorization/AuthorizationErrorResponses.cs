using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.WebUtilities;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.Server;
using static OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace Kryptos.Connect.Authorization;

/// <summary>
/// RFC 6749 §4.1.2.1 and RFC 7636 §4.4.1: once the client and its exact redirect URI are verified, an
/// invalid authorization request is answered at that redirect URI (<c>error</c>, <c>state</c>, and
/// <c>iss</c> per RFC 9207), not on our page. Only an unknown client or a missing, invalid or
/// mismatching redirect URI stays on our error page: we never redirect to an address we have not verified.
/// </summary>
/// <remarks>
/// OpenIddict redirects an error only when request validation succeeded: a rejected request never gets
/// a redirect URI, and several checks (response_type, PKCE parameters) even run before the redirect URI
/// is compared with the client's. So this handler verifies the client and the redirect URI itself,
/// with the same application manager OpenIddict uses (exact match, loopback ports per RFC 8252), and
/// only then hands the redirect URI to OpenIddict, which adds state and iss and answers in the
/// request's response mode (query, form_post, or fragment for implicit response types).
/// <para>
/// Anyone can register a client, so the server must not become a phishing redirector (RFC 9700
/// §4.11.2): an error goes back to the client only for a signed-in user, or with prompt=none. Anyone
/// else is shown the login form first (<see cref="Pages.AuthorizeModel"/>), and the same request then
/// ends at the client.
/// </para>
/// </remarks>
internal sealed class RedirectVerifiedAuthorizationErrors(OpenIddictApplicationManager<OAuthClient> applications) : IOpenIddictServerHandler<ApplyAuthorizationResponseContext>
{
    /// <summary>The <see cref="HttpContext.Items"/> key set when an error may go back to the client once the user has logged in.</summary>
    public const string AwaitingLoginItem = "Kryptos.AuthorizationErrorAwaitsLogin";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } =
        OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyAuthorizationResponseContext>()
            .UseScopedHandler<RedirectVerifiedAuthorizationErrors>()
            // After OpenIddict attached (or declined to attach) the redirect URI, before it infers the
            // response mode and attaches state and iss.
            .SetOrder(OpenIddictServerHandlers.Authentication.AttachRedirectUri.Descriptor.Order + 500)
            .SetType(OpenIddictServerHandlerType.Custom)
            .Build();

    public async ValueTask HandleAsync(ApplyAuthorizationResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var validation = context.Transaction.GetProperty<ValidateAuthorizationRequestContext>(typeof(ValidateAuthorizationRequestContext).FullName!);
        var request = context.Request;
        // Only errors found while validating the request: the others already have their redirect URI.
        if (!string.IsNullOrEmpty(context.RedirectUri) || string.IsNullOrEmpty(context.Error) || request is null || validation is not { IsRejected: true })
        {
            return;
        }

        if (!await IsVerifiedAsync(request, validation, context.CancellationToken))
        {
            return;
        }

        var http = context.Transaction.GetHttpRequest()?.HttpContext;
        if (http is null)
        {
            return;
        }

        if (!request.HasPromptValue(PromptValues.None) && !(await http.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Succeeded)
        {
            http.Items[AwaitingLoginItem] = true;
            return;
        }

        context.RedirectUri = request.RedirectUri;
    }

    private async ValueTask<bool> IsVerifiedAsync(OpenIddictRequest request, ValidateAuthorizationRequestContext validation, CancellationToken cancellationToken)
    {
        // A request_uri that could not be resolved leaves the real redirect URI unknown: it is inside
        // the pushed request, not in what the browser brought.
        if (!string.IsNullOrEmpty(request.RequestUri) && validation.RequestTokenPrincipal is null)
        {
            return false;
        }

        // The same syntax rules OpenIddict applies before comparing (absolute, no fragment, no iss of its own) …
        if (string.IsNullOrEmpty(request.ClientId) || string.IsNullOrEmpty(request.RedirectUri)
            || !Uri.TryCreate(request.RedirectUri, UriKind.Absolute, out var redirectUri)
            || !string.IsNullOrEmpty(redirectUri.Fragment)
            || QueryHelpers.ParseQuery(redirectUri.Query).ContainsKey(Parameters.Iss))
        {
            return false;
        }

        // … a response mode OpenIddict can answer in …
        if (!string.IsNullOrEmpty(request.ResponseMode) && request.ResponseMode is not (ResponseModes.Query or ResponseModes.FormPost or ResponseModes.Fragment))
        {
            return false;
        }

        // … and the client's own exact-match comparison.
        var client = await applications.FindByClientIdAsync(request.ClientId, cancellationToken);
        return client is not null && await applications.ValidateRedirectUriAsync(client, request.RedirectUri, cancellationToken);
    }
}
