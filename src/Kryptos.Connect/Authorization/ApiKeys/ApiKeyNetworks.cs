using System.Net;
using System.Net.Sockets;

namespace Kryptos.Connect.Authorization.ApiKeys;

/// <summary>
/// A key's IP allow-list: single addresses and CIDR ranges, IPv4 and IPv6, written one per line (or
/// separated by commas or spaces) in the portal and stored normalised (<c>10.0.0.0/8</c>,
/// <c>2001:db8::/32</c>, a single address as itself).
/// </summary>
public static class ApiKeyNetworks
{
    /// <summary>Parses the allow-list; null networks and an error message when an entry is not valid.</summary>
    public static (IReadOnlyList<IPNetwork>? Networks, string? Error) Parse(string? text)
    {
        var entries = (text ?? "").Split([' ', ',', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (entries.Length > ApiKey.MaxAllowedNetworks)
        {
            return (null, $"List at most {ApiKey.MaxAllowedNetworks} addresses or ranges.");
        }

        var networks = new List<IPNetwork>();
        foreach (var entry in entries)
        {
            if (TryParse(entry, out var network) is { } error)
            {
                return (null, error);
            }

            if (!networks.Contains(network))
            {
                networks.Add(network);
            }
        }

        return (networks, null);
    }

    /// <summary>The stored form: normalised entries separated by spaces, or null for "any address".</summary>
    public static string? Format(IReadOnlyList<IPNetwork> networks) =>
        networks.Count == 0 ? null : string.Join(' ', networks.Select(Describe));

    /// <summary>A single address as itself, a range in CIDR notation.</summary>
    public static string Describe(IPNetwork network) =>
        network.PrefixLength == (network.BaseAddress.AddressFamily == AddressFamily.InterNetwork ? 32 : 128)
            ? network.BaseAddress.ToString()
            : network.ToString();

    /// <summary>Whether <paramref name="address"/> is inside one of <paramref name="networks"/> (IPv4-mapped IPv6 counts as IPv4).</summary>
    public static bool Allows(IReadOnlyList<IPNetwork> networks, IPAddress? address)
    {
        if (address is null)
        {
            return false;
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        foreach (var network in networks)
        {
            if (network.Contains(address))
            {
                return true;
            }
        }

        return false;
    }

    private static string? TryParse(string entry, out IPNetwork network)
    {
        network = default;
        var shown = entry.Length > 60 ? entry[..60] + "…" : entry;
        if (entry.Length > 64 || entry.Any(char.IsControl))
        {
            return $"\"{Sanitise(shown)}\" is not an IP address or CIDR range.";
        }

        var slash = entry.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? entry : entry[..slash];
        if (!TryParseAddress(addressText, out var address))
        {
            return $"\"{shown}\" is not an IP address or CIDR range (for example 203.0.113.7, 10.0.0.0/8 or 2001:db8::/32).";
        }

        var max = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = max;
        if (slash >= 0)
        {
            var prefixText = entry[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !prefixText.All(char.IsAsciiDigit) || (prefix = int.Parse(prefixText, System.Globalization.CultureInfo.InvariantCulture)) > max)
            {
                return $"\"{shown}\": the prefix length must be a number from 0 to {max}.";
            }
        }

        // Host bits after the prefix are cleared: 10.1.2.3/8 means 10.0.0.0/8.
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        network = new IPNetwork(new IPAddress(bytes), prefix);
        return null;
    }

    /// <summary>Strict: IPv4 in four dotted decimals (IPAddress alone also takes "10.1" or "0x0a.1.1.1"), IPv6 without a zone.</summary>
    private static bool TryParseAddress(string text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':', StringComparison.Ordinal))
        {
            return !text.Contains('%', StringComparison.Ordinal) && IPAddress.TryParse(text, out address!) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        var parts = text.Split('.');
        if (parts.Length != 4 || parts.Any(p => p.Length is 0 or > 3 || !p.All(char.IsAsciiDigit) || int.Parse(p, System.Globalization.CultureInfo.InvariantCulture) > 255))
        {
            return false;
        }

        return IPAddress.TryParse(text, out address!);
    }

    private static string Sanitise(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
}
