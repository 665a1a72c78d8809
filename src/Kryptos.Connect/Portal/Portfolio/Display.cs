using System.Globalization;

namespace Kryptos.Connect.Portal.Portfolio;

/// <summary>
/// How the portfolio pages write numbers: quantities with every significant decimal, money with two,
/// shares as percentages, all in the invariant culture so a page reads the same for everyone.
/// </summary>
public static class Display
{
    /// <summary><c>0.5</c>, <c>1234.000000000000000001</c>: full precision, no trailing zeros, no grouping (copyable).</summary>
    public static string Quantity(decimal value) => value.ToString("0.##################", CultureInfo.InvariantCulture);

    /// <summary><c>1,234.56</c>; <c>—</c> when unknown.</summary>
    public static string Money(decimal? value) => value is { } v ? v.ToString("#,0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary><c>+1,234.56</c> or <c>-12.00</c>.</summary>
    public static string SignedMoney(decimal? value) => value is { } v ? (v > 0 ? "+" : "") + v.ToString("#,0.00", CultureInfo.InvariantCulture) : "—";

    /// <summary><c>42.5%</c> of a 0..1 share; <c>—</c> when unknown.</summary>
    public static string Percent(decimal? share) => share is { } s ? (s * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "—";

    /// <summary>A time the way the pages show it: <c>2024-03-01 14:30 UTC</c>.</summary>
    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";
}
