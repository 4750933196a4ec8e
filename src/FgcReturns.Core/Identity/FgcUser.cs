using Microsoft.AspNetCore.Identity;

namespace FgcReturns.Core.Identity;

public sealed class FgcUser : IdentityUser
{
    public string DisplayName { get; set; } = "";

    /// <summary>The one LA an LA data lead is bound to; null for national users.</summary>
    public string? LaCode { get; set; }

    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}

public static class Roles
{
    public const string LaDataLead = nameof(LaDataLead);
    public const string Analyst = nameof(Analyst);
    public const string Administrator = nameof(Administrator);

    public static readonly IReadOnlyList<string> All = [LaDataLead, Analyst, Administrator];

    /// <summary>Roles that see national data.</summary>
    public const string National = Analyst + "," + Administrator;

    /// <summary>Creates any of the portal's roles the database lacks (every start, any environment).</summary>
    public static async Task CreateMissingAsync(RoleManager<IdentityRole> roles)
    {
        ArgumentNullException.ThrowIfNull(roles);
        foreach (var role in All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                await roles.CreateAsync(new IdentityRole(role));
            }
        }
    }
}

public static class FgcClaimTypes
{
    public const string LaCode = "fgc:la_code";
    public const string DisplayName = "fgc:display_name";
}
