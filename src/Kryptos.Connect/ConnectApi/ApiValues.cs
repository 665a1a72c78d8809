using System.Globalization;
using System.Text.Json;

namespace Kryptos.Connect.ConnectApi;

/// <summary>
/// How the Connect API spells the domain's enumerations: lower snake case (<c>staking_rewards</c>,
/// <c>long_term</c>), the same in answers and in query filters.
/// </summary>
public static class ApiValues
{
    public static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum =>
        JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>Every value of <typeparamref name="TEnum"/> as the API spells it.</summary>
    public static IReadOnlyList<string> Names<TEnum>()
        where TEnum : struct, Enum =>
        [.. Enum.GetValues<TEnum>().Select(Name)];

    /// <summary>Reads a value as the API spells it; anything else (numbers, other casing) is refused.</summary>
    public static bool TryParse<TEnum>(string? text, out TEnum value)
        where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
        {
            if (string.Equals(Name(candidate), text, StringComparison.Ordinal))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>
    /// An amount of the base currency: rounded half away from zero to exactly 2 places, so it always
    /// reads <c>"29910.00"</c> (quantities keep their full precision).
    /// </summary>
    public static decimal Money(decimal value) => decimal.Round(value, 2, MidpointRounding.AwayFromZero) + 0.00m;

    /// <summary>A share 0–1 as a ratio with 4 decimals (<c>0.1234</c> = 12.34 %).</summary>
    public static decimal Ratio(decimal value) => Math.Round(value, 4, MidpointRounding.AwayFromZero);

    internal static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
