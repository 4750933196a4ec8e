using FgcReturns.Core.Demo;
using FgcReturns.Core.Identity;
using FgcReturns.Core.ReferenceData;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace FgcReturns.Core.Data;

/// <summary>Start-up work on the database: migrations (when asked), reference data, roles, demo data.</summary>
public static class DatabaseInitializer
{
    /// <summary>Extra seeding steps registered by features (e.g. demo collections), run in registration order.</summary>
    public delegate Task SeedStep(IServiceProvider services, CancellationToken ct);

    public static async Task InitialiseAsync(IServiceProvider root, CancellationToken ct = default)
    {
        await using var scope = root.CreateAsyncScope();
        var services = scope.ServiceProvider;
        var options = services.GetRequiredService<DatabaseOptions>();
        var db = services.GetRequiredService<FgcDbContext>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseInitializer));

        // An empty database has no history table: create it first, so that reading the applied migrations does not
        // fail (and log an error) on a fresh start.
        if (options.ApplyMigrations
            && !await db.Database.SqlQueryRaw<bool>("SELECT to_regclass('__ef_migrations_history') IS NOT NULL AS \"Value\"").SingleAsync(ct))
        {
            await db.Database.ExecuteSqlRawAsync(db.GetService<IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
        }

        if (options.ApplyMigrations)
        {
            await db.Database.MigrateAsync(ct);
        }
        else if ((await db.Database.GetPendingMigrationsAsync(ct)).Any())
        {
            throw new InvalidOperationException(
                "The database has migrations that have not been applied. Run 'dotnet run --project src/FgcReturns.Cli -- migrate' " +
                "or set Database__ApplyMigrations=true.");
        }

        await ReferenceDataSeeder.SeedAsync(db, ct);
        await Roles.CreateMissingAsync(services.GetRequiredService<RoleManager<IdentityRole>>());

        foreach (var step in services.GetServices<SeedStep>())
        {
            await step(services, ct);
        }

        var demo = services.GetRequiredService<DemoOptions>();
        if (demo.Seed)
        {
            await DemoUserSeeder.SeedAsync(services.GetRequiredService<UserManager<FgcUser>>(), demo.Password, services.GetRequiredService<TimeProvider>());
            logger.LogInformation("Demo accounts (password from Demo:Password): {Accounts}",
                string.Join(", ", DemoUserSeeder.Accounts.Select(a => $"{a.Email} ({a.Role}{(a.LaCode is null ? "" : ", LA " + a.LaCode)})")));
        }
    }
}
