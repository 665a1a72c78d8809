using System.Net;
using AngleSharp.Html.Dom;
using Kryptos.Connect.Accounts;
using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;

namespace Kryptos.IntegrationTests.Infrastructure;

/// <summary>Account steps and checks for the account and hosting tests, in the style of <see cref="Intents"/>.</summary>
public static class AccountIntents
{
    public static Task<HttpResponseMessage> SubmitSignUpAsync(this PortalClient client, string name, string email, string password)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync("/account/signup", new Dictionary<string, string>
        {
            ["Input.DisplayName"] = name,
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    public static Task<HttpResponseMessage> SubmitLoginAsync(this PortalClient client, string email, string password, string url = "/account/login")
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync(url, new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = password,
        });
    }

    public static Task<HttpResponseMessage> ForgotPasswordAsync(this PortalClient client, string email)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = email });
    }

    /// <summary>Asks for a reset link for <paramref name="user"/> and returns it (relative).</summary>
    public static async Task<string> RequestResetLinkAsync(this KryptosFactory factory, TestUser user)
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(user);
        using var client = factory.NewClient();
        using var response = await client.ForgotPasswordAsync(user.Email);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return factory.Mailbox.LinkTo(user.Email, "/account/reset-password");
    }

    /// <summary>Opens <paramref name="link"/> and submits its form with <paramref name="newPassword"/>.</summary>
    public static Task<HttpResponseMessage> ResetPasswordAsync(this PortalClient client, string link, string newPassword)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync(link, new Dictionary<string, string> { ["NewPassword"] = newPassword });
    }

    /// <summary>Submits one of the forms of the settings page, chosen by its handler.</summary>
    public static Task<HttpResponseMessage> SubmitSettingsAsync(this PortalClient client, string handler, IReadOnlyDictionary<string, string>? fields = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        return client.SubmitAsync("/account", fields, $"main form[action*='handler={handler}']");
    }

    public static Task<User?> FindUserAsync(this KryptosFactory factory, string email)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.WithDbAsync(db => db.Users.AsNoTracking().SingleOrDefaultAsync(u => u.Email == email));
    }

    public static async Task<User> UserAsync(this KryptosFactory factory, string email) =>
        await factory.FindUserAsync(email) ?? throw new InvalidOperationException($"No user {email}.");

    public static Task<int> SessionCountAsync(this KryptosFactory factory, Guid userId)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.WithDbAsync(db => db.UserSessions.CountAsync(s => s.UserId == userId));
    }

    /// <summary>A client that keeps no cookies and follows no redirects: for replaying a copied Cookie header.</summary>
    public static HttpClient NewRawClient(this KryptosFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        return factory.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("https://localhost"),
            AllowAutoRedirect = false,
            HandleCookies = false,
        });
    }

    /// <summary>The Cookie header <paramref name="client"/>'s browser sends, as an attacker who copied it would have it.</summary>
    public static async Task<string> CookieHeaderAsync(this PortalClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var response = await client.Http.GetAsync(new Uri("/health/live", UriKind.Relative));
        return response.RequestMessage!.Headers.TryGetValues("Cookie", out var values)
            ? string.Join("; ", values)
            : throw new InvalidOperationException("The client sends no cookies.");
    }

    /// <summary>GET <paramref name="path"/> with exactly the given Cookie header.</summary>
    public static async Task<HttpResponseMessage> GetWithCookieAsync(this HttpClient client, string path, string cookieHeader)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", cookieHeader);
        return await client.SendAsync(request);
    }

    /// <summary>The response sends an anonymous visitor to the login page.</summary>
    public static void AssertRedirectsToLogin(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = new Uri(new Uri("https://localhost"), response.Headers.Location!);
        Assert.Equal("/account/login", location.AbsolutePath);
    }

    /// <summary>The validation message shown next to <paramref name="field"/>; empty when there is none.</summary>
    public static string FieldError(this IHtmlDocument page, string field)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.QuerySelector($"[data-valmsg-for='{field}']")?.TextContent.Trim()
            ?? throw new InvalidOperationException($"The page has no validation slot for {field}.");
    }

    /// <summary>The errors listed above a form (not tied to one field).</summary>
    public static string FormErrors(this IHtmlDocument page)
    {
        ArgumentNullException.ThrowIfNull(page);
        return page.QuerySelector("main .alert.error")?.TextContent.Trim() ?? "";
    }

    public static string InputValue(this IHtmlDocument page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        return (page.QuerySelector($"input[name='{name}']") as IHtmlInputElement)?.Value
            ?? throw new InvalidOperationException($"The page has no input {name}.");
    }

    /// <summary>A query value of a relative link such as <c>/account/reset-password?userId=…&amp;code=…</c>.</summary>
    public static string QueryValue(string link, string name)
    {
        ArgumentNullException.ThrowIfNull(link);
        var query = QueryHelpers.ParseQuery(new Uri(new Uri("https://localhost"), link).Query);
        return query.TryGetValue(name, out var value) ? value.ToString() : throw new InvalidOperationException($"{link} has no {name}.");
    }

    /// <summary><paramref name="link"/> with the query value <paramref name="name"/> replaced.</summary>
    public static string WithQueryValue(string link, string name, string value)
    {
        ArgumentNullException.ThrowIfNull(link);
        var uri = new Uri(new Uri("https://localhost"), link);
        var query = QueryHelpers.ParseQuery(uri.Query);
        query[name] = value;
        return QueryHelpers.AddQueryString(uri.AbsolutePath, query);
    }

    /// <summary>The link's code with one character in the middle changed, as a guess or a typo would.</summary>
    public static string Tamper(string link)
    {
        var code = QueryValue(link, "code");
        var middle = code.Length / 2;
        var changed = code[..middle] + (code[middle] == 'A' ? 'B' : 'A') + code[(middle + 1)..];
        return WithQueryValue(link, "code", changed);
    }

    /// <summary>The token a link's code stands for (codes are the Identity token, base64url-encoded).</summary>
    public static string DecodedCode(string link) => AccountEmails.Decode(QueryValue(link, "code"))
        ?? throw new InvalidOperationException($"{link} has no decodable code.");
}
