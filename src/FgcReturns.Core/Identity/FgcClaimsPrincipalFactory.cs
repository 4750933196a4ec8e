using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace FgcReturns.Core.Identity;

/// <summary>Adds the user's LA and display name to the sign-in cookie.</summary>
public sealed class FgcClaimsPrincipalFactory(UserManager<FgcUser> userManager, RoleManager<IdentityRole> roleManager, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<FgcUser, IdentityRole>(userManager, roleManager, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(FgcUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        if (user.LaCode is not null)
        {
            identity.AddClaim(new Claim(FgcClaimTypes.LaCode, user.LaCode));
        }

        identity.AddClaim(new Claim(FgcClaimTypes.DisplayName, user.DisplayName));
        return identity;
    }
}
