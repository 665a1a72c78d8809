using System.Text.Json;
using Kryptos.Connect.ConnectApi;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Kryptos.UnitTests.ConnectApi;

/// <summary>The shared shapes of the Connect API: paging rules and how amounts and times are written.</summary>
public sealed class PagingAndJsonTests
{
    private static readonly JsonSerializerOptions ApiJsonOptions = new(JsonSerializerDefaults.Web) { Converters = { new DecimalStringConverter(), new UtcDateTimeOffsetConverter() } };

    [Fact]
    public void NoPagingParameters_AreTheDefaults()
    {
        var page = PageRequest.Parse(null, null);

        Assert.Null(page.Problem);
        Assert.Equal((50, 0), (page.Limit, page.Offset));
    }

    [Theory]
    [InlineData("1", "0", 1, 0)]
    [InlineData("200", "2147483647", 200, int.MaxValue)]
    public void ValuesAtTheEdges_AreAccepted(string limit, string offset, int expectedLimit, int expectedOffset)
    {
        var page = PageRequest.Parse([limit], [offset]);

        Assert.Null(page.Problem);
        Assert.Equal((expectedLimit, expectedOffset), (page.Limit, page.Offset));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("201")]
    [InlineData("-1")]
    [InlineData("+5")]
    [InlineData("1e2")]
    [InlineData("5.0")]
    [InlineData(" 5")]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("99999999999999999999")]
    [InlineData("5\0")]
    public void ABadLimit_IsInvalidLimit(string limit) => AssertRefused(PageRequest.Parse([limit], null), "invalid_limit");

    [Theory]
    [InlineData("-1")]
    [InlineData("2147483648")]
    [InlineData("x")]
    [InlineData("")]
    public void ABadOffset_IsInvalidOffset(string offset) => AssertRefused(PageRequest.Parse(null, [offset]), "invalid_offset");

    [Fact]
    public void ARepeatedParameter_IsRefused()
    {
        AssertRefused(PageRequest.Parse(["10", "20"], null), "invalid_limit");
        AssertRefused(PageRequest.Parse(null, ["0", "1"]), "invalid_offset");
    }

    [Theory]
    // 3 items from offset 0 of 3: nothing more. 2 of 3 from 0: one more. 1 from offset 2 of 3: the last.
    [InlineData(3, 0, 3, false)]
    [InlineData(2, 0, 3, true)]
    [InlineData(1, 2, 3, false)]
    [InlineData(0, 10, 3, false)]
    public void HasMore_SaysWhetherItemsFollowThePage(int count, int offset, int total, bool hasMore)
    {
        var envelope = ListEnvelope.Create(Enumerable.Range(0, count).ToList(), new PageRequest(2, offset), total);

        Assert.Equal(hasMore, envelope.Pagination.HasMore);
        Assert.Equal(total, envelope.Pagination.Total);
    }

    [Fact]
    public void DecimalsAreStrings_AndTimesAreUtc()
    {
        var value = new { Amount = 21_000_000.00000001m, Small = 0.10m, At = new DateTimeOffset(2026, 1, 31, 13, 30, 5, TimeSpan.FromHours(1)) };

        var json = JsonSerializer.Serialize(value, ApiJsonOptions);

        // 13:30:05 at +01:00 is 12:30:05 UTC; the decimal keeps its scale.
        Assert.Equal("""{"amount":"21000000.00000001","small":"0.10","at":"2026-01-31T12:30:05Z"}""", json);
    }

    private static void AssertRefused(PageRequest page, string code)
    {
        var problem = Assert.IsType<ProblemHttpResult>(page.Problem);
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal(code, problem.ProblemDetails.Extensions["code"]);
    }
}
