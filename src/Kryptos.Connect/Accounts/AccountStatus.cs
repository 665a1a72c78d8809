using Kryptos.Connect.Core;
using Microsoft.AspNetCore.Identity;

namespace Kryptos.Connect.Accounts;

/// <summary>
/// Identity asks this before every sign-in (with <c>SignIn.RequireConfirmedAccount</c> on): a disabled
/// account cannot sign in, whatever its password. An unverified email does not stop a login; it stops
/// what needs a proven address (consent to apps, two-factor enrolment, invitations, client secrets).
/// </summary>
internal sealed class AccountStatus : IUserConfirmation<User>
{
    public Task<bool> IsConfirmedAsync(UserManager<User> manager, User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return Task.FromResult(!user.IsDisabled);
    }
}
