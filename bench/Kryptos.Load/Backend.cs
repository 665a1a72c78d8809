using System.Globalization;

namespace Kryptos.Load;

/// <summary>
/// One database configuration to measure (<c>--backends</c>): <c>sqlite</c>, <c>postgres</c>,
/// <c>postgres:2</c> (two server processes on one database) and PostgreSQL settings for its database
/// after <c>+</c>, e.g. <c>postgres+commit_delay=200+commit_siblings=2</c> or
/// <c>postgres+synchronous_commit=off</c>. The spec is also the backend's label in the report.
/// </summary>
internal sealed record Backend(string Label, bool Postgres, int Instances, IReadOnlyDictionary<string, string> PgSettings)
{
    public static Backend Parse(string spec)
    {
        var parts = spec.Split('+');
        var head = parts[0].Split(':');
        var postgres = head[0] switch
        {
            "sqlite" => false,
            "postgres" => true,
            _ => throw new ArgumentException($"Unknown backend '{head[0]}' in '{spec}': use sqlite or postgres[:instances][+setting=value]..."),
        };
        var instances = 1;
        if (head.Length > 2 || (head.Length == 2 && (!int.TryParse(head[1], NumberStyles.None, CultureInfo.InvariantCulture, out instances) || instances is < 1 or > 8)))
        {
            throw new ArgumentException($"'{spec}': the number of instances after ':' must be 1 to 8.");
        }

        var settings = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var setting in parts.Skip(1))
        {
            var (key, value) = Setting(setting, spec);
            settings[key] = value;
        }

        if (!postgres && (instances > 1 || settings.Count > 0))
        {
            throw new ArgumentException($"'{spec}': SQLite runs one instance and takes no PostgreSQL settings.");
        }

        return new Backend(spec, postgres, instances, settings);
    }

    /// <summary>A <c>name=value</c> PostgreSQL setting; the name is checked against pg_settings later.</summary>
    public static (string Key, string Value) Setting(string text, string where)
    {
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || equals == text.Length - 1 || !text[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.'))
        {
            throw new ArgumentException($"'{text}' in '{where}' is not a PostgreSQL setting: write name=value, e.g. commit_delay=200.");
        }

        return (text[..equals], text[(equals + 1)..]);
    }
}
