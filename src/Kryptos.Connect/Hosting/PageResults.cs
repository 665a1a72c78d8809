using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Kryptos.Connect.Hosting;

public static class PageResults
{
    /// <summary>Renders the page with an error status, so a rejected form is a 4xx and not a 200.</summary>
    public static PageResult WithStatus(this PageResult page, int statusCode)
    {
        ArgumentNullException.ThrowIfNull(page);
        page.StatusCode = statusCode;
        return page;
    }
}
