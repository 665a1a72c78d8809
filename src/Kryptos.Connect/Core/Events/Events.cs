namespace Kryptos.Connect.Core.Events;

/// <summary>Why everything an account had issued must stop working.</summary>
public enum SignOutReason
{
    PasswordReset,
    SignOutEverywhere,
    EmailChanged,
}

/// <summary>
/// Every session, grant and refresh token of the account ends now: the person who controls the
/// mailbox reset the password, changed the address, or asked to sign out everywhere.
/// </summary>
public sealed record AccountSignedOutEverywhere(Guid UserId, SignOutReason Reason);

/// <summary>The account is about to be deleted; everything it holds goes first.</summary>
public sealed record AccountDeleting(Guid UserId);

/// <summary>A member left or was removed from a workspace: they can no longer share it.</summary>
public sealed record MembershipEnded(Guid WorkspaceId, Guid UserId);

/// <summary>A workspace is about to be deleted with everything in it.</summary>
public sealed record WorkspaceDeleting(Guid WorkspaceId);

/// <summary>
/// Who may share the workspace with apps may have changed (a role, or the "members may connect apps"
/// setting): grants given by members who no longer may are revoked.
/// </summary>
public sealed record SharingRightsChanged(Guid WorkspaceId);

/// <summary>
/// A setting every computed portfolio figure depends on changed (the base currency or the cost-basis
/// method): the workspace's holdings, gains and ledger must be recomputed.
/// </summary>
public sealed record PortfolioSettingsChanged(Guid WorkspaceId);
