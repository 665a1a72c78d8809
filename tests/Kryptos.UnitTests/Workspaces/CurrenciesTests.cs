using System.Globalization;
using System.Text.RegularExpressions;
using Kryptos.Connect.Core;
using Kryptos.Connect.Core.Workspaces;

namespace Kryptos.UnitTests.Workspaces;

public sealed partial class CurrenciesTests
{
    public static TheoryData<string> Supported => [.. Currencies.Supported];

    [Fact]
    public void SupportedCodes_AreDistinctThreeLetterUpperCaseCodes()
    {
        Assert.All(Currencies.Supported, code => Assert.Matches(IsoCode(), code));
        Assert.Equal(Currencies.Supported.Count, Currencies.Supported.Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void SupportedCodes_AreCurrenciesOfRealCountries()
    {
        var known = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Select(c => new RegionInfo(c.Name).ISOCurrencySymbol)
            .ToHashSet(StringComparer.Ordinal);

        Assert.All(Currencies.Supported, code => Assert.Contains(code, known));
    }

    [Fact]
    public void SupportedCodes_IncludeTheMajorCurrenciesAndTheDefault()
    {
        Assert.Superset(new HashSet<string>(["USD", "EUR", "GBP", "JPY", "CHF"]), Currencies.Supported.ToHashSet());
        Assert.True(Currencies.IsSupported(new Workspace { Name = "Default" }.BaseCurrency));
    }

    [Theory]
    [MemberData(nameof(Supported))]
    public void IsSupported_AcceptsEveryListedCode(string code) => Assert.True(Currencies.IsSupported(code));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("usd")]
    [InlineData("Eur")]
    [InlineData(" EUR")]
    [InlineData("EUR ")]
    [InlineData("US")]
    [InlineData("USDT")]
    [InlineData("XXX")]
    [InlineData("BTC")]
    public void IsSupported_RefusesAnythingElse(string? code) => Assert.False(Currencies.IsSupported(code));

    [GeneratedRegex("^[A-Z]{3}$")]
    private static partial Regex IsoCode();
}
