using System.Security.Claims;

namespace FgcReturns.Core.Identity;

/// <summary>Which LA data a signed-in user may see: decided from the user's claims on the server, never from a URL.</summary>
public static class LaScope
{
    public static bool IsNational(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.Analyst) || user.IsInRole(Roles.Administrator);

    public static string? LaCode(this ClaimsPrincipal user) =>
        user.IsInRole(Roles.LaDataLead) ? user.FindFirst(FgcClaimTypes.LaCode)?.Value : null;

    /// <summary>True when the user may see unpublished data of the LA with this DfE code.</summary>
    public static bool CanAccessLa(this ClaimsPrincipal user, string laCode) =>
        user.IsNational() || string.Equals(user.LaCode(), laCode, StringComparison.Ordinal);

    public static string? UserId(this ClaimsPrincipal user) => user.FindFirst(ClaimTypes.NameIdentifier)?.Value;

    public static string? Email(this ClaimsPrincipal user) => user.FindFirst(ClaimTypes.Email)?.Value ?? user.Identity?.Name;
}
