using FgcReturns.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Identity;

public static class Extensions
{
    /// <summary>ASP.NET Core Identity on the portal's database: email + password, lockout, roles.</summary>
    public static IServiceCollection AddFgcIdentity(this IServiceCollection services)
    {
        services.AddIdentityCore<FgcUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                o.Password.RequiredLength = 12;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<FgcDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<FgcClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        return services;
    }
}
