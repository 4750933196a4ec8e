using Hangfire;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace FgcReturns.Core.Jobs;

/// <summary>
/// The worker process (<c>fgc worker</c>): the Hangfire server and nothing else of the portal — no pages, no sign-in —
/// with its own health endpoints (/health/live, /health/ready) on ASPNETCORE_URLS. Web instances then run with
/// Jobs__ServerEnabled=false and only enqueue. Run one or more; the jobs' locks keep one benchmark build at a time.
/// </summary>
public static class WorkerHost
{
    public const string ServerHealthCheck = "jobs-server";

    public static WebApplication Build(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        builder.Configuration[$"{JobsOptions.Section}:{nameof(JobsOptions.ServerEnabled)}"] = "true";
        Postgres.DevelopmentDatabase.StartIfNeeded(builder.Configuration, builder.Environment, builder.Services);
        builder.Services.AddCore(builder.Configuration, builder.Environment);

        // Identity's services (used by jobs that email people) need authentication registered, though nobody signs in here.
        builder.Services.AddAuthentication();
        builder.Services.AddHealthChecks()
            .AddDbContextCheck<Data.FgcDbContext>("database", tags: ["ready"])
            .AddCheck<JobServerHealthCheck>(ServerHealthCheck, tags: ["ready"]);

        var app = builder.Build();
        if (app.Services.GetService<Postgres.PrivatePostgresCluster>() is { } cluster)
        {
            app.Lifetime.ApplicationStopped.Register(cluster.Stop);
        }

        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        app.MapGet("/", () => "FGC Returns worker: runs background jobs only. See /health/ready.");
        return app;
    }

    /// <summary>Healthy while this process's Hangfire server has sent a heartbeat in the last minute.</summary>
    internal sealed class JobServerHealthCheck(JobStorage storage, TimeProvider clock) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            var marker = ":" + Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture) + ":";
            var servers = storage.GetMonitoringApi().Servers();
            var mine = servers.FirstOrDefault(s => s.Name.Contains(marker, StringComparison.Ordinal));
            var now = clock.GetUtcNow().UtcDateTime;
            return Task.FromResult(mine?.Heartbeat is { } beat && now - beat < TimeSpan.FromMinutes(1)
                ? HealthCheckResult.Healthy($"Job server {mine.Name} is running {mine.WorkersCount} workers.")
                : HealthCheckResult.Unhealthy("This worker's job server is not running (no recent heartbeat)."));
        }
    }
}
