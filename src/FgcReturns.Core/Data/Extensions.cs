using FgcReturns.Core.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace FgcReturns.Core.Data;

public static class Extensions
{
    public const string ConnectionStringName = "Fgc";

    public const string DataProtectionApplicationName = "FgcReturns";

    /// <summary>
    /// Registers the DbContext on ConnectionStrings:Fgc. In Development the host starts a private cluster first when none
    /// is given (<see cref="Postgres.DevelopmentDatabase"/>); elsewhere a missing connection string stops the start.
    /// </summary>
    public static IServiceCollection AddFgcData(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var connectionString = configuration.GetConnectionString(ConnectionStringName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StartupException(environment.IsDevelopment()
                ? "No database is configured: give a PostgreSQL connection string in the setting ConnectionStrings__Fgc, or start the host through DevelopmentDatabase.StartIfNeeded."
                : "No database is configured: give a PostgreSQL connection string in the setting ConnectionStrings__Fgc.");
        }

        services.AddOptions<DatabaseOptions>().Bind(configuration.GetSection(DatabaseOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DatabaseOptions>>().Value);
        services.AddDbContextFactory<FgcDbContext>((sp, o) => o
            .UseNpgsql(connectionString, npgsql => npgsql.MigrationsHistoryTable("__ef_migrations_history"))
            .UseSnakeCaseNamingConvention()
            .AddInterceptors(sp.GetServices<Telemetry.MetricsInterceptor>()));
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<FgcDbContext>>().CreateDbContext());

        // One key ring in PostgreSQL for every instance, so a cookie, antiforgery token or one-time link issued by one
        // web instance is read by any other; the application name keeps the keys' purpose the same on every host.
        services.AddDataProtection()
            .SetApplicationName(DataProtectionApplicationName)
            .PersistKeysToDbContext<FgcDbContext>();
        return services;
    }

    /// <summary>The folder holding FgcReturns.sln above <paramref name="start"/>, or <paramref name="start"/> itself.</summary>
    public static string RepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FgcReturns.sln")))
            {
                return dir.FullName;
            }
        }

        return start;
    }
}
