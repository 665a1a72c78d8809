using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Hosting;

/// <summary>The friendly page behind status codes (re-executed) and unhandled exceptions. Never shows a stack trace.</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public int Code { get; private set; }
    public string Title { get; private set; } = "";
    public string Message { get; private set; } = "";

    // The code is read from the route by hand: a re-executed POST still carries its original body,
    // and model binding builds every value provider first, the form's too. A body the form reader
    // refuses (a NUL byte, too many fields) would make any bound parameter 0, and the page "Error 0".
    public IActionResult OnGet() => Render(RouteCode());

    public IActionResult OnPost() => Render(RouteCode());

    private int RouteCode() =>
        int.TryParse(RouteData.Values["code"]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code) ? code : 0;

    private PageResult Render(int code)
    {
        Code = code;
        (Title, Message) = code switch
        {
            400 => ("Bad request", "The request could not be understood. Go back and try again."),
            403 => ("Not allowed", "Your role in this workspace does not allow this. Ask an owner or admin."),
            404 => ("Page not found", "There is nothing here, or you do not have access to it."),
            413 => ("Too large", "The request was larger than allowed."),
            429 => ("Too many requests", "Slow down a little and try again in a minute."),
            _ => ("Something went wrong", "An unexpected error occurred. It was logged; please try again."),
        };
        var page = Page();
        // Re-executed status pages keep the original status; a direct visit answers with it too.
        page.StatusCode = HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodeReExecuteFeature>() is null && code is >= 400 and < 600
            ? code
            : Response.StatusCode;
        return page;
    }
}
