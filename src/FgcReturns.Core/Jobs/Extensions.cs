using Hangfire;
using Hangfire.PostgreSql;
using Hangfire.PostgreSql.Factories;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

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
        services.AddOptions<JobsOptions>().Bind(configuration.GetSection(JobsOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<JobsOptions>>().Value);
        // Our own JobStorage singleton, registered before AddHangfire: Hangfire would otherwise hand DI the
        // process-wide JobStorage.Current, which parallel test hosts overwrite.
        services.AddSingleton<JobStorage>(sp => new PostgreSqlStorage(
            new NpgsqlConnectionFactory(
                configuration.GetConnectionString(Data.Extensions.ConnectionStringName) ?? "",
                new PostgreSqlStorageOptions { SchemaName = HangfireSchema }),
            new PostgreSqlStorageOptions
            {
                SchemaName = HangfireSchema,
                PrepareSchemaIfNecessary = true,
                QueuePollInterval = sp.GetRequiredService<JobsOptions>().QueuePollInterval,

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
        // Whether this process runs a server at all is a registration choice, so it is read from configuration here.
        if (configuration.GetSection(JobsOptions.Section).GetValue(nameof(JobsOptions.ServerEnabled), new JobsOptions().ServerEnabled))
        {
            services.AddHangfireServer((sp, o) =>
            {
                var options = sp.GetRequiredService<JobsOptions>();
                o.WorkerCount = options.WorkerCount;
                o.SchedulePollingInterval = options.SchedulePollingInterval;
            });
        }

        return services;
    }
}
