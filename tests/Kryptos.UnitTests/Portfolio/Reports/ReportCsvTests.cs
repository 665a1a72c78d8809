using System.Text;
using Kryptos.Connect.Portfolio.Reports;

namespace Kryptos.UnitTests.Portfolio.Reports;

/// <summary>The CSV of reports: RFC 4180 quoting, numbers as numbers, and no formula a spreadsheet would run.</summary>
public sealed class ReportCsvTests
{
    /// <summary>The CSV of one row under a header "a" (one column) or "a,b,…"; every line ends in CRLF.</summary>
    private static async Task<string> WriteAsync(params object?[] cells) =>
        Encoding.UTF8.GetString(await ReportCsv.WriteAsync([.. cells.Select((_, i) => ((char)('a' + i)).ToString())], [cells]));

    [Theory]
    [InlineData("=1+1", "\"'=1+1\"")]
    [InlineData("+1", "\"'+1\"")]
    [InlineData("-2+3", "\"'-2+3\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]

    // Text is text, even when it reads as a number: only decimals are written as numbers.
    [InlineData("-500", "\"'-500\"")]
    [InlineData("BTC", "BTC")]
    [InlineData("a=b", "a=b")]
    public async Task TextThatStartsLikeAFormula_GetsAnApostrophe_AndQuotes(string text, string written)
    {
        Assert.Equal($"a\r\n{written}\r\n", await WriteAsync(text));
    }

    [Fact]
    public async Task ATabOrCarriageReturnFirst_IsEscapedToo()
    {
        Assert.Equal("a\r\n\"'\tcmd\"\r\n", await WriteAsync("\tcmd"));
        Assert.Equal("a\r\n\"'\rcmd\"\r\n", await WriteAsync("\rcmd"));
    }

    [Fact]
    public async Task Numbers_StayNumbers_InFullPrecisionWithoutTrailingZeros()
    {
        Assert.Equal("a,b,c,d\r\n-500,0.000000000000000001,1.5,\r\n", await WriteAsync(-500m, 0.000000000000000001m, 1.50m, null));
    }

    [Fact]
    public async Task Separators_QuotesAndLineBreaks_AreQuoted()
    {
        Assert.Equal("a,b,c\r\n\"x,y\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n", await WriteAsync("x,y", "say \"hi\"", "two\nlines"));
    }

    [Fact]
    public async Task AFormulaThatNeedsQuotes_IsQuotedAndEscaped()
    {
        Assert.Equal("a\r\n\"'=HYPERLINK(\"\"https://evil.example\"\",\"\"x\"\")\"\r\n", await WriteAsync("=HYPERLINK(\"https://evil.example\",\"x\")"));
    }

    [Fact]
    public async Task Progress_IsReportedEveryNRows()
    {
        var heard = new List<int>();
        var rows = Enumerable.Range(0, 25).Select(i => (IReadOnlyList<object?>)[(decimal)i]).ToList();

        var csv = await ReportCsv.WriteAsync(["n"], rows, written =>
        {
            heard.Add(written);
            return Task.CompletedTask;
        }, reportEvery: 10);

        Assert.Equal([10, 20], heard);
        Assert.Equal(26, Encoding.UTF8.GetString(csv).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
