using Kryptos.Connect.Hosting.Email;
using Kryptos.Connect.Portal.Dev;
using Microsoft.Extensions.Options;

namespace Kryptos.UnitTests.Portal;

public sealed class OutboxLinkifyTests
{
    private readonly OutboxModel _outbox = new(Options.Create(new EmailOptions()), null!);

    [Fact]
    public void LinkAtTheEndOfALine_StopsAtTheLineBreak()
    {
        var html = _outbox.Linkify("Verify email: http://127.0.0.1:5080/account/confirm-email?userId=1&code=abc\n\nIf you did not sign up, ignore this.").ToString();

        Assert.Equal(
            "Verify email: <a href=\"http://127.0.0.1:5080/account/confirm-email?userId=1&amp;code=abc\">http://127.0.0.1:5080/account/confirm-email?userId=1&amp;code=abc</a>&#xA;&#xA;If you did not sign up, ignore this.",
            html);
    }

    [Fact]
    public void TextAroundLinks_IsEncoded()
    {
        var html = _outbox.Linkify("<b>Acme & Co</b> https://example.com/a").ToString();

        Assert.Equal("&lt;b&gt;Acme &amp; Co&lt;/b&gt; <a href=\"https://example.com/a\">https://example.com/a</a>", html);
    }
}
