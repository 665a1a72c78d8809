using Kryptos.Connect.Authorization.Clients;

namespace Kryptos.UnitTests.Clients;

public sealed class RedirectUriRulesTests
{
    [Theory]
    [InlineData("https://app.example.com/callback")]
    [InlineData("https://app.example.com:8443/oauth/callback?tenant=1")]
    [InlineData("http://127.0.0.1/callback")]
    [InlineData("http://127.0.0.1:51234/callback")]
    [InlineData("http://[::1]:8080/cb")]
    [InlineData("http://localhost/cb")]
    [InlineData("http://localhost:3000/cb")]
    [InlineData("com.example.app:/oauth2redirect")]
    [InlineData("com.example.app://callback")]
    public void GoodRedirectUris_AreAccepted(string uri) => Assert.Null(RedirectUriRules.ValidateRedirectUri(uri));

    [Theory]
    [InlineData("http://app.example.com/callback", "only https")]
    [InlineData("http://localhost.evil.com/callback", "only https")]
    [InlineData("http://127.0.0.2/callback", "only https")]
    [InlineData("https://app.example.com/cb#fragment", "fragment")]
    [InlineData("https://app.example.com/cb#", "fragment")]
    [InlineData("https://*.example.com/cb", "wildcard")]
    [InlineData("https://app.example.com/*", "wildcard")]
    [InlineData("https://user@app.example.com/cb", "user information")]
    [InlineData("https://user:secret@app.example.com/cb", "user information")]
    [InlineData("/callback", "not an absolute URI")]
    [InlineData("app.example.com/callback", "not an absolute URI")]
    [InlineData("https://app.example.com/a b", "space")]
    [InlineData("javascript:alert(1)", "cannot be a redirect target")]
    [InlineData("data:text/html,hi", "cannot be a redirect target")]
    [InlineData("file:///etc/passwd", "cannot be a redirect target")]
    [InlineData("myapp:/callback", "reverse domain name")]
    public void BadRedirectUris_AreRefused_NamingTheUriAndTheReason(string uri, string reason)
    {
        var error = RedirectUriRules.ValidateRedirectUri(uri);

        Assert.NotNull(error);
        Assert.Contains(uri, error, StringComparison.Ordinal);
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void AnOverlongRedirectUri_IsRefused()
    {
        var uri = "https://app.example.com/" + new string('a', RedirectUriRules.MaxLength);

        Assert.Contains("longer than", RedirectUriRules.ValidateRedirectUri(uri), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://app.example.com", true)]
    [InlineData("https://app.example.com:8443", true)]
    [InlineData("http://localhost:3000", true)]
    [InlineData("http://app.example.com", false)]
    [InlineData("https://app.example.com/", false)]
    [InlineData("https://app.example.com/path", false)]
    [InlineData("https://*.example.com", false)]
    [InlineData("com.example.app://x", false)]
    [InlineData("/relative", false)]
    public void Origins_AreSchemeHostAndPortOnly(string origin, bool accepted) =>
        Assert.Equal(accepted, RedirectUriRules.ValidateOrigin(origin) is null);

    [Fact]
    public void Lines_AreTrimmedDeduplicatedAndEmptyOnesDropped() =>
        Assert.Equal(["https://a.example/cb", "https://b.example/cb"], RedirectUriRules.Lines(" https://a.example/cb \r\n\nhttps://b.example/cb\nhttps://a.example/cb"));
}
