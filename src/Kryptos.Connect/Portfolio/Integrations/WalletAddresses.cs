using System.Text.RegularExpressions;

namespace Kryptos.Connect.Portfolio.Integrations;

/// <summary>
/// Checks that a wallet address has the shape of a public address on its chain, and refuses anything
/// that looks like a secret (a private key, an extended private key, a seed phrase). Kryptos only ever
/// needs the public address; a secret typed here by mistake is neither stored nor echoed back.
/// </summary>
public static partial class WalletAddresses
{
    /// <summary>The message shown when the input looks like a secret.</summary>
    public const string SecretRefused =
        "That looks like a private key or a recovery phrase, not a public address. Never share it with anyone: Kryptos only needs the wallet's public address.";

    private static readonly string[] EvmChains = ["ethereum", "polygon", "arbitrum", "base"];

    /// <summary>Whether <paramref name="input"/> looks like a private key or a seed phrase.</summary>
    public static bool LooksSecret(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var text = input.Trim();
        var words = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return (words.Length >= 12 && words.All(w => LowerWord().IsMatch(w)))
            || PrivateKeyHex().IsMatch(text)
            || Wif().IsMatch(text)
            || text.StartsWith("xprv", StringComparison.Ordinal) || text.StartsWith("yprv", StringComparison.Ordinal)
            || text.StartsWith("zprv", StringComparison.Ordinal) || text.StartsWith("tprv", StringComparison.Ordinal)
            || text.Contains("PRIVATE KEY", StringComparison.OrdinalIgnoreCase)
            || LongBase58().IsMatch(text);
    }

    /// <summary>
    /// Null when <paramref name="address"/> is a plausible public address on <paramref name="chain"/>;
    /// otherwise the message to show.
    /// </summary>
    public static string? Check(string chain, string address)
    {
        ArgumentNullException.ThrowIfNull(chain);
        ArgumentNullException.ThrowIfNull(address);
        if (LooksSecret(address))
        {
            return SecretRefused;
        }

        if (EvmChains.Contains(chain, StringComparer.Ordinal))
        {
            return Evm().IsMatch(address) ? null : "An address on this chain is 0x followed by 40 hexadecimal characters.";
        }

        return chain switch
        {
            "bitcoin" => Bech32Bitcoin().IsMatch(address.ToLowerInvariant()) || Base58Bitcoin().IsMatch(address)
                ? null
                : "A Bitcoin address starts with bc1 (bech32) or with 1 or 3 (base58), 26 to 74 characters.",
            "solana" => Base58().IsMatch(address) ? null : "A Solana address is 32 to 44 base58 characters.",
            "cardano" => Cardano().IsMatch(address) ? null : "A Cardano address starts with addr1 followed by bech32 characters.",
            _ => "Choose a chain from the list.",
        };
    }

    /// <summary>The stored form: bech32 addresses are case-insensitive and kept lower case.</summary>
    public static string Normalize(string chain, string address) =>
        chain is "bitcoin" && address.StartsWith("bc1", StringComparison.OrdinalIgnoreCase) || chain is "cardano"
            ? address.ToLowerInvariant()
            : address;

    [GeneratedRegex("^[a-z]{3,8}$")]
    private static partial Regex LowerWord();

    // 32 bytes of hex (an EVM or raw private key), with or without 0x.
    [GeneratedRegex("^(0x)?[0-9a-fA-F]{64}$")]
    private static partial Regex PrivateKeyHex();

    // Bitcoin's Wallet Import Format: 5… (uncompressed) or K…/L… (compressed).
    [GeneratedRegex("^[5KL][1-9A-HJ-NP-Za-km-z]{50,51}$")]
    private static partial Regex Wif();

    // A Solana secret key is 64 bytes: about 88 base58 characters.
    [GeneratedRegex("^[1-9A-HJ-NP-Za-km-z]{80,90}$")]
    private static partial Regex LongBase58();

    [GeneratedRegex("^0x[0-9a-fA-F]{40}$")]
    private static partial Regex Evm();

    [GeneratedRegex("^(bc1)[02-9ac-hj-np-z]{11,71}$")]
    private static partial Regex Bech32Bitcoin();

    [GeneratedRegex("^[13][1-9A-HJ-NP-Za-km-z]{25,34}$")]
    private static partial Regex Base58Bitcoin();

    [GeneratedRegex("^[1-9A-HJ-NP-Za-km-z]{32,44}$")]
    private static partial Regex Base58();

    [GeneratedRegex("^addr1[02-9ac-hj-np-z]{50,110}$")]
    private static partial Regex Cardano();
}
