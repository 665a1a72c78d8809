namespace Kryptos.Connect.Authorization;

/// <summary>Claims of our own, beside the OpenID Connect standard ones.</summary>
public static class KryptosClaims
{
    /// <summary>The workspace a token is bound to; the Connect API reads only that workspace.</summary>
    public const string WorkspaceId = "kryptos_workspace";
}
