using FgcReturns.Core.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Identity;

public static class Extensions
{
    /// <summary>
    /// Users: ASP.NET Core Identity on the portal's database (email + password, lockout, roles), user administration
    /// and one-time links, and sign-in through an external provider.
    /// </summary>
    public static IServiceCollection AddUsers(this IServiceCollection services)
    {
        services.AddIdentityCore<FgcUser>(o =>
            {
                o.User.RequireUniqueEmail = true;
                o.SignIn.RequireConfirmedAccount = false;
                // Length, not composition (NCSC password guidance): the rule the set-password page states up front.
                o.Password.RequiredLength = PasswordRules.MinimumLength;
                o.Password.RequireDigit = false;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Password.RequiredUniqueChars = 1;
                o.Lockout.AllowedForNewUsers = true;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<FgcDbContext>()
            .AddSignInManager()
            .AddClaimsPrincipalFactory<FgcClaimsPrincipalFactory>()
            .AddDefaultTokenProviders();
        services.AddScoped<ExternalSignIn>();
        services.AddScoped<PasswordLinkService>();
        services.AddScoped<UserAdminService>();
        return services;
    }
}
