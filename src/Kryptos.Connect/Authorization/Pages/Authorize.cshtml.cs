using System.Collections.Immutable;
using Kryptos.Connect.Core;
using Kryptos.Connect.Data;
using Kryptos.Connect.Core.Workspaces;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using OpenIddict.Server.AspNetCore;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Kryptos.Connect.Authorization.Pages;

/// <summary>
/// The authorization endpoint (<c>/oidc/auth</c>) after OpenIddict validated the request: client,
/// redirect URI, PKCE (S256), scopes. This page decides who the user is, whether they consent, and to
/// which of their workspaces; then it signs in with OpenIddict, which redirects with the code.
/// </summary>
/// <remarks>
/// Antiforgery is checked by hand: clients may send authorization requests by POST (without a token),
/// but the consent decision must come from our own form.
/// </remarks>
[IgnoreAntiforgeryToken]
public sealed class AuthorizeModel(
    UserManager<User> users,
    OpenIddictApplicationManager<OAuthClient> applications,
    ConsentService consent,
    KryptosDbContext db,
    IAntiforgery antiforgery,
    TimeProvider time) : PageModel
{
    public OAuthClient Client { get; private set; } = null!;

    public string PublisherName { get; private set; } = "";

    public IReadOnlyList<KryptosScopes.Definition> RequestedScopes { get; private set; } = [];

    public IReadOnlyList<WorkspaceChoice> Workspaces { get; private set; } = [];

    /// <summary>The request's parameters, re-posted by the consent form.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RequestParameters { get; private set; } = [];

    public string? ErrorTitle { get; private set; }

    public string? ErrorDescription { get; private set; }

    public string UserEmail { get; private set; } = "";

    /// <summary>The user's workspaces that their role does not let them share with apps.</summary>
    public IReadOnlyList<string> NotShareable { get; private set; } = [];

    public Task<IActionResult> OnGetAsync() => HandleAsync(decision: null);

    public async Task<IActionResult> OnPostAsync()
    {
        // An error found by OpenIddict is answered before the form is read: the body may be the one
        // the form reader refused (RejectUnreadableRequestBodies), and reading it again would throw.
        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null })
        {
            return await HandleAsync(decision: null);
        }

        string? decision = Request.Form[FormFields.Decision];
        if (decision is not null && !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return RenderError("The consent form expired", "Go back to the application and start the sign-in again.", StatusCodes.Status400BadRequest);
        }

        return await HandleAsync(decision);
    }

    private async Task<IActionResult> HandleAsync(string? decision)
    {
        // Errors that cannot go back to the client (unknown client, redirect URI missing or not
        // matching) arrive here: show them, never redirect to an unverified address. An error that
        // may go back to a verified client waits for the visitor to log in (RedirectVerifiedAuthorizationErrors).
        if (HttpContext.GetOpenIddictServerResponse() is { Error: { } error } response)
        {
            if (HttpContext.Items.ContainsKey(RedirectVerifiedAuthorizationErrors.AwaitingLoginItem) && HttpContext.GetOpenIddictServerRequest() is { } rejected)
            {
                return RedirectToLogin(rejected, reauthenticate: false);
            }

            return RenderError("This sign-in request is not valid", $"{error}: {response.ErrorDescription}", StatusCodes.Status400BadRequest);
        }

        var request = HttpContext.GetOpenIddictServerRequest()
            ?? throw new InvalidOperationException("The OpenID Connect request cannot be retrieved.");

        // 1. Who is the user? prompt=login and an expired max_age force a fresh login; prompt=none
        //    must never show a page.
        // max_age counts from the last time the user entered their password (or second factor), which
        // the session keeps; a session that cannot tell is too old.
        var session = await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme);
        var authenticatedAt = AuthenticationTimes.Get(session.Properties);
        var tooOld = request.MaxAge is { } maxAge
            && (authenticatedAt is not { } at || time.GetUtcNow() - at > TimeSpan.FromSeconds(maxAge));
        var user = session.Succeeded ? await users.GetUserAsync(session.Principal!) : null;
        if (user is null || request.HasPromptValue(PromptValues.Login) || tooOld)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Reject(Errors.LoginRequired, "The user is not logged in.");
            }

            return RedirectToLogin(request, reauthenticate: user is not null);
        }

        // An address nobody proved cannot hand data to an app: anyone can sign up with someone else's
        // address, and a grant made before the real owner arrives would outlive their password reset.
        if (!user.EmailConfirmed)
        {
            if (request.HasPromptValue(PromptValues.None))
            {
                return Reject(Errors.InteractionRequired, "The user must verify their email address first.");
            }

            // Back to the same request afterwards, with its parameters spelled out: a pushed request's
            // request_uri is short-lived, and verifying an address can take longer.
            var here = Request.PathBase + Request.Path + "?" + string.Join('&', FormFields.ProtocolParameters(request)
                .Where(p => p.Key != OpenIddictConstants.Parameters.RequestUri)
                .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
            return Redirect($"/account/verify-email?purpose=app&returnUrl={Uri.EscapeDataString(here)}");
        }

        // 2. Which client, published by which workspace?
        Client = await applications.FindByClientIdAsync(request.ClientId!, HttpContext.RequestAborted)
            ?? throw new InvalidOperationException("OpenIddict validated a client that cannot be found.");
        PublisherName = await db.Workspaces.Where(w => w.Id == Client.WorkspaceId).Select(w => w.Name).SingleAsync(HttpContext.RequestAborted);
        var requested = request.GetScopes();

        // 3. Remembered consent: a valid grant covering every requested scope skips the screen,
        //    unless the client asks for prompt=consent.
        if (decision is null && !request.HasPromptValue(PromptValues.Consent))
        {
            var remembered = await consent.FindRememberedAsync(user.Id, Client, requested, HttpContext.RequestAborted);
            if (remembered.FirstOrDefault() is { } grant)
            {
                return await IssueAsync(user, grant, requested);
            }
        }

        if (request.HasPromptValue(PromptValues.None))
        {
            return Reject(Errors.ConsentRequired, "The user has not consented to this application.");
        }

        // Only workspaces the user may share with apps can be chosen: owners and admins, and every
        // member where the workspace allows it.
        var all = await db.WorkspaceMembers
            .Where(m => m.UserId == user.Id)
            .Select(m => new { m.WorkspaceId, m.Workspace.Name, m.Workspace.IsPersonal, m.Role, m.Workspace.MembersMayConnectApps })
            .ToListAsync(HttpContext.RequestAborted);
        var memberships = all.Where(m => WorkspacePermissions.Allows(m.Role, WorkspaceOperation.ShareWithApps, m.MembersMayConnectApps)).ToList();
        NotShareable = [.. all.Except(memberships).Select(m => m.Name).Order(StringComparer.CurrentCulture)];

        // 4. The user's answer.
        if (decision == "deny")
        {
            return Reject(Errors.AccessDenied, "The user denied the authorization request.");
        }

        if (decision == "allow")
        {
            var chosen = Guid.TryParse(Request.Form[FormFields.Workspace], out var id) ? memberships.FirstOrDefault(m => m.WorkspaceId == id) : null;
            if (chosen is null)
            {
                ModelState.AddModelError(string.Empty, "Choose the workspace to share.");
            }
            else
            {
                var scopes = ConsentService.AllowedScopes(chosen.Role, requested);
                var grant = await consent.GrantAsync(user, Client, chosen.WorkspaceId, scopes, HttpContext.RequestAborted);
                return await IssueAsync(user, grant, scopes);
            }
        }

        // 5. Ask.
        UserEmail = user.Email!;
        RequestedScopes = [.. requested.Select(KryptosScopes.Describe)];
        Workspaces = [.. memberships
            .OrderByDescending(m => m.IsPersonal).ThenBy(m => m.Name)
            .Select(m => new WorkspaceChoice(m.WorkspaceId, m.Name, m.IsPersonal, m.Role))];
        RequestParameters = FormFields.ProtocolParameters(request);
        Response.Headers.CacheControl = "no-store";
        return Page();
    }

    private async Task<IActionResult> IssueAsync(User user, OAuthGrant grant, ImmutableArray<string> scopes)
    {
        await consent.TouchAsync(grant, HttpContext.RequestAborted);
        // auth_time: when the user last entered their password (OpenID Connect Core §2, needed with max_age).
        var authenticatedAt = AuthenticationTimes.Get((await HttpContext.AuthenticateAsync(IdentityConstants.ApplicationScheme)).Properties);
        var principal = consent.CreatePrincipal(user, grant.WorkspaceId!.Value, scopes, grant.Id!, authenticatedAt: authenticatedAt);
        return SignIn(principal, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>
    /// The login form, coming back here afterwards with the same request, without prompt=login or
    /// max_age: the login about to happen satisfies both, and asking again would loop (max_age=0 is
    /// older than any session by the time the browser is back). Other prompt values (prompt=login
    /// consent) survive.
    /// </summary>
    private RedirectResult RedirectToLogin(OpenIddictRequest request, bool reauthenticate)
    {
        var otherPrompts = string.Join(' ', request.GetPromptValues().Where(v => v != PromptValues.Login));
        var parameters = request.GetParameters()
            .Where(p => p.Key != OpenIddictConstants.Parameters.MaxAge)
            .Select(p => p.Key == OpenIddictConstants.Parameters.Prompt ? new(p.Key, otherPrompts) : p)
            .Where(p => p.Key != OpenIddictConstants.Parameters.Prompt || otherPrompts.Length > 0)
            .Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value.ToString() ?? "")}");
        var returnUrl = Request.PathBase + Request.Path + "?" + string.Join('&', parameters);
        return Redirect($"/account/login?returnUrl={Uri.EscapeDataString(returnUrl)}{(reauthenticate ? "&reauth=true" : "")}");
    }

    /// <summary>Sends an error to the client's (already validated) redirect URI.</summary>
    private ForbidResult Reject(string error, string description) => Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);

    private PageResult RenderError(string title, string description, int status)
    {
        ErrorTitle = title;
        ErrorDescription = description;
        var page = Page();
        page.StatusCode = status;
        return page;
    }

    public sealed record WorkspaceChoice(Guid Id, string Name, bool IsPersonal, WorkspaceRole Role);
}
