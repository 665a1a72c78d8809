namespace Kryptos.Connect.Authorization;

/// <summary>Claims of our own, beside the OpenID Connect standard ones.</summary>
public static class KryptosClaims
{
    /// <summary>The workspace a token is bound to; the Connect API reads only that workspace.</summary>
    public const string WorkspaceId = "kryptos_workspace";

    /// <summary>
    /// When the refresh chain of a token began (Unix seconds): the redemption of its code. Private:
    /// it stays in codes and refresh tokens and never reaches an access or ID token.
    /// </summary>
    public const string RefreshChainStart = "kryptos_refresh_chain_start";
}
