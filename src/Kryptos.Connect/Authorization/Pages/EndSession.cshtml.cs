using Kryptos.Connect.Core;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using OpenIddict.Server.AspNetCore;

namespace Kryptos.Connect.Authorization.Pages;

/// <summary>
/// RP-initiated logout (<c>/oidc/session/end</c>). The user confirms with a POST of our own form, so a
/// link on another site cannot log anyone out; then OpenIddict redirects to the validated
/// post_logout_redirect_uri, or we show the start page.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class EndSessionModel(SignInManager<User> signIn, IAntiforgery antiforgery) : PageModel
{
    public IReadOnlyList<KeyValuePair<string, string>> RequestParameters { get; private set; } = [];

    public string? ErrorDescription { get; private set; }

    public IActionResult OnGet() => Render();

    public async Task<IActionResult> OnPostAsync()
    {
        // An error found by OpenIddict is shown before the form is read: the body may be the one the
        // form reader refused (RejectUnreadableRequestBodies), and reading it again would throw.
        if (HttpContext.GetOpenIddictServerResponse() is { Error: not null }
            || Request.Form[FormFields.Decision] != "logout" || !await antiforgery.IsRequestValidAsync(HttpContext))
        {
            return Render();
        }

        await signIn.SignOutAsync();
        return SignOut(new AuthenticationProperties { RedirectUri = "/" }, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private PageResult Render()
    {
        if (HttpContext.GetOpenIddictServerResponse() is { Error: { } error } response)
        {
            ErrorDescription = $"{error}: {response.ErrorDescription}";
            var page = Page();
            page.StatusCode = StatusCodes.Status400BadRequest;
            return page;
        }

        RequestParameters = FormFields.ProtocolParameters(HttpContext.GetOpenIddictServerRequest());
        return Page();
    }
}
