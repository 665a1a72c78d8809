using System.Net;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>
/// One person's browser against the portal: it keeps cookies, reads pages as HTML and submits their
/// real forms, antiforgery token included, the way a browser would without JavaScript.
/// </summary>
public sealed class PortalClient(HttpClient http, Func<string>? serverErrors = null) : IDisposable
{
    private static readonly HtmlParser Parser = new();

    public HttpClient Http { get; } = http;

    /// <summary>What the server logged as errors so far, to explain an unexpected status.</summary>
    public string ServerErrors => serverErrors?.Invoke() ?? "";

    /// <summary>Asserts a status code and, when it differs, shows the server's logged errors.</summary>
    public void AssertStatus(HttpStatusCode expected, HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.True(expected == response.StatusCode, $"Expected {(int)expected} but got {(int)response.StatusCode} from {response.RequestMessage?.RequestUri}.{Environment.NewLine}{ServerErrors}");
    }

    /// <summary>GETs a page and expects 200.</summary>
    public async Task<IHtmlDocument> GetPageAsync(string url)
    {
        using var response = await Http.GetAsync(url);
        return await ExpectPageAsync(response);
    }

    /// <summary>
    /// Loads <paramref name="pageUrl"/>, fills the form matched by <paramref name="formSelector"/>
    /// (keeping the values the page rendered, hidden fields and the antiforgery token among them)
    /// and submits it. Redirects are not followed.
    /// </summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pageUrl, IReadOnlyDictionary<string, string>? fields = null, string formSelector = "main form")
    {
        var page = await GetPageAsync(pageUrl);
        return await SubmitAsync(page, pageUrl, fields, formSelector);
    }

    public async Task<HttpResponseMessage> SubmitAsync(IHtmlDocument page, string pageUrl, IReadOnlyDictionary<string, string>? fields = null, string formSelector = "main form")
    {
        ArgumentNullException.ThrowIfNull(page);
        var form = page.QuerySelector(formSelector) as IHtmlFormElement
            ?? throw new InvalidOperationException($"No form matches '{formSelector}' on {pageUrl}.");
        var values = new List<KeyValuePair<string, string>>();
        foreach (var element in form.Elements)
        {
            switch (element)
            {
                case IHtmlInputElement input when !string.IsNullOrEmpty(input.Name):
                    if (input.Type is "checkbox" or "radio")
                    {
                        if (input.IsChecked)
                        {
                            values.Add(new(input.Name, input.Value));
                        }
                    }
                    else
                    {
                        values.Add(new(input.Name, input.Value));
                    }

                    break;
                case IHtmlSelectElement select when !string.IsNullOrEmpty(select.Name):
                    values.Add(new(select.Name, select.Value ?? ""));
                    break;
                case IHtmlTextAreaElement textArea when !string.IsNullOrEmpty(textArea.Name):
                    values.Add(new(textArea.Name, textArea.Value));
                    break;
            }
        }

        foreach (var (name, value) in fields ?? new Dictionary<string, string>())
        {
            values.RemoveAll(v => v.Key == name);
            values.Add(new(name, value));
        }

        var action = form.GetAttribute("action");
        var target = string.IsNullOrEmpty(action) ? pageUrl : action;
        using var content = new FormUrlEncodedContent(values);
        return await Http.PostAsync(target, content);
    }

    /// <summary>Follows a redirect the way a browser would and returns the page it lands on.</summary>
    public async Task<IHtmlDocument> FollowAsync(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var current = response;
        for (var hops = 0; hops < 5 && IsRedirect(current.StatusCode); hops++)
        {
            var location = current.Headers.Location ?? throw new InvalidOperationException("A redirect without Location.");
            current = await Http.GetAsync(location);
        }

        return await ExpectPageAsync(current);
    }

    private async Task<IHtmlDocument> ExpectPageAsync(HttpResponseMessage response)
    {
        try
        {
            return await ReadPageAsync(response, HttpStatusCode.OK);
        }
        catch (InvalidOperationException e) when (serverErrors?.Invoke() is { Length: > 0 } errors)
        {
            throw new InvalidOperationException(e.Message + Environment.NewLine + "Server errors:" + Environment.NewLine + errors, e);
        }
    }

    public static async Task<IHtmlDocument> ReadPageAsync(HttpResponseMessage response, HttpStatusCode? expected = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var html = await response.Content.ReadAsStringAsync();
        if (expected is { } status && response.StatusCode != status)
        {
            throw new InvalidOperationException($"Expected {(int)status} from {response.RequestMessage?.RequestUri} but got {(int)response.StatusCode}: {Truncate(html)}");
        }

        return Parser.ParseDocument(html);
    }

    public static bool IsRedirect(HttpStatusCode status) => (int)status is >= 300 and < 400;

    public void Dispose() => Http.Dispose();

    private static string Truncate(string text) => text.Length > 2000 ? text[..2000] : text;
}
