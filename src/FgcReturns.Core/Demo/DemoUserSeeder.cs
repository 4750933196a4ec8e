using FgcReturns.Core.Identity;
using Microsoft.AspNetCore.Identity;

namespace FgcReturns.Core.Demo;

/// <summary>Demo accounts for Development: listed in the README and printed at start-up.</summary>
public static class DemoUserSeeder
{
    public static readonly IReadOnlyList<DemoAccount> Accounts =
    [
        new("lead.medway@fgc.example", "Morgan Medway", Roles.LaDataLead, "887"),
        new("lead.leicestershire@fgc.example", "Lee Shire", Roles.LaDataLead, "855"),
        new("lead.leicester@fgc.example", "Lesley Leicester", Roles.LaDataLead, "856"),
        new("analyst@fgc.example", "Ana Lyst", Roles.Analyst, null),
        new("admin@fgc.example", "Addie Min", Roles.Administrator, null),
    ];

    public static async Task SeedAsync(UserManager<FgcUser> users, string password, TimeProvider clock)
    {
        foreach (var account in Accounts)
        {
            if (await users.FindByEmailAsync(account.Email) is not null)
            {
                continue;
            }

            var user = new FgcUser
            {
                UserName = account.Email,
                Email = account.Email,
                EmailConfirmed = true,
                DisplayName = account.DisplayName,
                LaCode = account.LaCode,
                CreatedAt = clock.GetUtcNow(),
            };
            var created = await users.CreateAsync(user, password);
            if (!created.Succeeded)
            {
                throw new InvalidOperationException(
                    $"Could not create demo account {account.Email}: {string.Join(" ", created.Errors.Select(e => e.Description))}");
            }

            await users.AddToRoleAsync(user, account.Role);
        }
    }
}
