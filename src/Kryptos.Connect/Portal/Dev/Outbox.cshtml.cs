using System.Text;
using System.Text.Encodings.Web;
using System.Text.RegularExpressions;
using Kryptos.Connect.Hosting.Email;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Kryptos.Connect.Portal.Dev;

/// <summary>
/// Lists the .eml files of the pickup directory so that a developer running locally can follow
/// verification and invitation links. Answers 404 outside Development: the mails hold live links.
/// </summary>
public sealed partial class OutboxModel(IOptions<EmailOptions> options, IWebHostEnvironment environment) : PageModel
{
    public string Directory => Path.GetFullPath(options.Value.PickupDirectory);

    public IReadOnlyList<OutboxMail> Mails { get; private set; } = [];

    public OutboxMail? Selected { get; private set; }

    public async Task<IActionResult> OnGetAsync(string? name)
    {
        if (!environment.IsDevelopment() || options.Value.UsesSmtp)
        {
            return NotFound();
        }

        if (name is not null)
        {
            // Only bare file names from the listing; nothing that walks out of the folder.
            if (!FileName().IsMatch(name) || !System.IO.File.Exists(Path.Combine(Directory, name)))
            {
                return NotFound();
            }

            Selected = await ReadAsync(Path.Combine(Directory, name));
            return Page();
        }

        var mails = new List<OutboxMail>();
        if (System.IO.Directory.Exists(Directory))
        {
            foreach (var file in new DirectoryInfo(Directory).GetFiles("*.eml").OrderByDescending(f => f.Name).Take(100))
            {
                mails.Add(await ReadAsync(file.FullName));
            }
        }

        Mails = mails;
        return Page();
    }

    /// <summary>
    /// HTML-encodes the mail's text and makes its links clickable. Links are found in the raw text:
    /// the encoder turns line breaks into <c>&amp;#xA;</c>, so a link found after encoding ran on into
    /// the next line ("…code=abcIf you did not…") and the browser followed a broken link.
    /// </summary>
    public IHtmlContent Linkify(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var encoder = HtmlEncoder.Default;
        var html = new StringBuilder();
        var end = 0;
        foreach (Match match in Link().Matches(text))
        {
            var url = encoder.Encode(match.Value);
            html.Append(encoder.Encode(text[end..match.Index])).Append("<a href=\"").Append(url).Append("\">").Append(url).Append("</a>");
            end = match.Index + match.Length;
        }

        return new HtmlString(html.Append(encoder.Encode(text[end..])).ToString());
    }

    private static async Task<OutboxMail> ReadAsync(string path)
    {
        using var message = await MimeMessage.LoadAsync(path);
        return new OutboxMail(Path.GetFileName(path), message.To.ToString(), message.Subject ?? "(no subject)", message.Date.ToUniversalTime(), message.TextBody ?? "");
    }

    [GeneratedRegex(@"^[0-9A-Za-z\-]+\.eml$")]
    private static partial Regex FileName();

    [GeneratedRegex(@"https?://[^\s<>""]+")]
    private static partial Regex Link();
}

public sealed record OutboxMail(string FileName, string To, string Subject, DateTimeOffset Date, string Text);
