using FgcReturns.Core.Data;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FgcReturns.Core.Postgres;

/// <summary>
/// A host's step before it registers services: in Development with no connection string, start (or reuse) a private
/// PostgreSQL cluster under .data/postgres, point ConnectionStrings:Fgc at it and turn migrations on. Done by the host
/// rather than inside AddFgcData, so that registering services does no work and writes no settings.
/// </summary>
public static class DevelopmentDatabase
{
    public static void StartIfNeeded(IConfiguration configuration, IHostEnvironment environment, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(environment);
        if (!environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(Data.Extensions.ConnectionStringName)))
        {
            return;
        }

        var path = configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.PrivateClusterPath)}"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(Data.Extensions.RepositoryRoot(environment.ContentRootPath), ".data", "postgres");
        var cluster = PrivatePostgresCluster.StartOrReuse(path);
        services.AddSingleton(cluster);
        cluster.EnsureDatabase("fgc_returns");
        configuration[$"ConnectionStrings:{Data.Extensions.ConnectionStringName}"] = cluster.ConnectionString("fgc_returns");
        configuration[$"{DatabaseOptions.Section}:{nameof(DatabaseOptions.ApplyMigrations)}"] = "true";
    }
}
