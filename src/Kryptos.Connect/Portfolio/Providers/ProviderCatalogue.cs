using System.Collections.Frozen;

namespace Kryptos.Connect.Portfolio.Providers;

/// <summary>What a provider is.</summary>
public enum ProviderKind
{
    Exchange,
    Wallet,
    Chain,

    /// <summary>Any other source, whose transactions come as CSV files in the Kryptos format.</summary>
    File,
}

/// <summary>
/// A provider users can connect an integration to. <see cref="Chains"/>: for wallets, the chains
/// they hold; for a chain, itself. <see cref="NativeAsset"/>: a chain's own asset, which pays its fees.
/// </summary>
public sealed record Provider(
    string Id,
    string Name,
    ProviderKind Kind,
    string? Website,
    IReadOnlyList<string> Chains,
    string? NativeAsset = null);

/// <summary>
/// The bundled catalogue of supported exchanges, wallets and chains. It is data of this build (no
/// network needed) and public: <c>GET /v1/providers</c> serves it without a token.
/// </summary>
public static class ProviderCatalogue
{
    public static IReadOnlyList<Provider> All { get; } =
    [
        // Chains: a wallet integration names one of these.
        new("bitcoin", "Bitcoin", ProviderKind.Chain, "https://bitcoin.org", ["bitcoin"], "BTC"),
        new("ethereum", "Ethereum", ProviderKind.Chain, "https://ethereum.org", ["ethereum"], "ETH"),
        new("solana", "Solana", ProviderKind.Chain, "https://solana.com", ["solana"], "SOL"),
        new("polygon", "Polygon", ProviderKind.Chain, "https://polygon.technology", ["polygon"], "POL"),
        new("arbitrum", "Arbitrum One", ProviderKind.Chain, "https://arbitrum.io", ["arbitrum"], "ETH"),
        new("base", "Base", ProviderKind.Chain, "https://base.org", ["base"], "ETH"),
        new("cardano", "Cardano", ProviderKind.Chain, "https://cardano.org", ["cardano"], "ADA"),

        // Exchanges.
        new("binance", "Binance", ProviderKind.Exchange, "https://www.binance.com", []),
        new("bitstamp", "Bitstamp", ProviderKind.Exchange, "https://www.bitstamp.net", []),
        new("bitvavo", "Bitvavo", ProviderKind.Exchange, "https://bitvavo.com", []),
        new("coinbase", "Coinbase", ProviderKind.Exchange, "https://www.coinbase.com", []),
        new("gemini", "Gemini", ProviderKind.Exchange, "https://www.gemini.com", []),
        new("kraken", "Kraken", ProviderKind.Exchange, "https://www.kraken.com", []),
        new("okx", "OKX", ProviderKind.Exchange, "https://www.okx.com", []),

        // Wallets.
        new("ledger", "Ledger", ProviderKind.Wallet, "https://www.ledger.com", ["bitcoin", "ethereum", "solana", "polygon", "arbitrum", "base", "cardano"]),
        new("metamask", "MetaMask", ProviderKind.Wallet, "https://metamask.io", ["ethereum", "polygon", "arbitrum", "base"]),
        new("phantom", "Phantom", ProviderKind.Wallet, "https://phantom.com", ["solana", "ethereum", "polygon", "base"]),
        new("trezor", "Trezor", ProviderKind.Wallet, "https://trezor.io", ["bitcoin", "ethereum", "cardano"]),
        new("electrum", "Electrum", ProviderKind.Wallet, "https://electrum.org", ["bitcoin"]),

        // Any other source whose transactions come as a CSV in the Kryptos format.
        new("csv", "Other source (CSV file)", ProviderKind.File, null, []),
    ];

    private static readonly FrozenDictionary<string, Provider> ById = All.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);

    /// <summary>The provider with this id (ids are lower case and compared exactly), or null.</summary>
    public static Provider? Find(string? id) => id is not null && ById.TryGetValue(id, out var provider) ? provider : null;
}
