using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace FgcReturns.Core.Jobs;

public static class Extensions
{
    public const string HangfireSchema = "hangfire";

    /// <summary>
    /// Hangfire on the portal's PostgreSQL database in its own schema; the server only when enabled; the recurring jobs
    /// (<see cref="RecurringJobs"/>) registered when the host starts.
    /// </summary>
    public static IServiceCollection AddFgcJobs(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(JobsOptions.Section).Get<JobsOptions>() ?? new JobsOptions();
        services.AddSingleton(options);
        // Our own JobStorage singleton, registered before AddHangfire: Hangfire would otherwise hand DI the
        // process-wide JobStorage.Current, which parallel test hosts overwrite.
        services.AddSingleton<JobStorage>(_ => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(
                configuration.GetConnectionString(Data.Extensions.ConnectionStringName) ?? "",
                new PostgreSqlStorageOptions { SchemaName = HangfireSchema }),
            new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = options.QueuePollInterval,

                // A job queued by a web instance wakes the worker's server through NOTIFY instead of its next poll.
                EnableLongPolling = true,
            }));
        services.AddHangfire((sp, config) => config
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UseLogProvider(new HostSafeLogProvider(sp.GetRequiredService<Microsoft.Extensions.Logging.ILoggerFactory>()))
            .UseStorage(sp.GetRequiredService<JobStorage>()));
        services.AddHostedService<RecurringJobs.Registration>();
        if (options.ServerEnabled)
        {
            services.AddHangfireServer(o =>
            {
                o.WorkerCount = options.WorkerCount;
                o.SchedulePollingInterval = options.SchedulePollingInterval;
            });
        }

        return services;
    }
}
