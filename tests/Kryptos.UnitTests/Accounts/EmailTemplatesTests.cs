using System.Text.Encodings.Web;
using Kryptos.Connect.Hosting.Email;

namespace Kryptos.UnitTests.Accounts;

public sealed class EmailTemplatesTests
{
    private const string Hostile = "<script>alert('x')</script>";
    private const string Link = "https://connect.example.com/invitations/abc?x=1&y=2";
    private static readonly DateTimeOffset ExpiresAt = new(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void Invitation_EncodesTheInvitersAndWorkspacesNamesInTheHtmlBody()
    {
        var mail = EmailTemplates.Invitation("bob@example.com", Hostile, "Tom & Jerry's <b>Books</b>", "editor", Link, ExpiresAt);

        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<b>", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Tom & Jerry", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(HtmlEncoder.Default.Encode(Hostile), mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(HtmlEncoder.Default.Encode("Tom & Jerry's <b>Books</b>"), mail.HtmlBody, StringComparison.Ordinal);
        // Plain text needs no encoding and shows the names as typed.
        Assert.Contains($"{Hostile} invited you to join the workspace \"Tom & Jerry's <b>Books</b>\" as editor.", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void Invitation_HasTheLinkAndTheExpiryInBothBodies()
    {
        var mail = EmailTemplates.Invitation("bob@example.com", "Ada", "Acme", "viewer", Link, ExpiresAt);

        Assert.Equal("bob@example.com", mail.To);
        Assert.Equal("Ada invited you to Acme on Kryptos Connect", mail.Subject);
        Assert.Contains($"Accept invitation: {Link}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("href=\"https://connect.example.com/invitations/abc?x=1&amp;y=2\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 09:30 UTC", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("2026-12-01 09:30 UTC", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfirmEmail_EncodesTheNameAndLinksInBothBodies()
    {
        var mail = EmailTemplates.ConfirmEmail("eve@example.com", "<img src=x onerror=alert(1)>", Link);

        Assert.DoesNotContain("<img", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;img", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Hi <img src=x onerror=alert(1)>,", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(Link, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{HtmlEncoder.Default.Encode(Link)}\"", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void ResetPassword_LinksInBothBodies()
    {
        var mail = EmailTemplates.ResetPassword("eve@example.com", Link);

        Assert.Contains($"Choose a new password: {Link}", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains($"href=\"{HtmlEncoder.Default.Encode(Link)}\"", mail.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void PasswordChanged_EncodesTheNameAndHasNoLink()
    {
        var mail = EmailTemplates.PasswordChanged("eve@example.com", Hostile);

        Assert.DoesNotContain("<script>", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<a ", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("http", mail.TextBody, StringComparison.Ordinal);
    }
}
