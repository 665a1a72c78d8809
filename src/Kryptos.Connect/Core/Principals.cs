using System.Security.Claims;

namespace Kryptos.Connect.Core;

public static class Principals
{
    /// <summary>The account id of a signed-in portal user, or null.</summary>
    public static Guid? UserIdOf(ClaimsPrincipal? principal) =>
        Guid.TryParse(principal?.FindFirstValue(ClaimTypes.NameIdentifier), out var id) ? id : null;
}
