using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Returns;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace FgcReturns.Core.Jobs;

/// <summary>
/// The one list of recurring jobs, registered at start-up through the DI-resolved <see cref="IRecurringJobManager"/>. The
/// jobs themselves live in their features; only their schedule is listed here.
/// </summary>
public static class RecurringJobs
{
    public const string CollectionSchedule = "collections-schedule";
    public const string CollectionReminders = "collections-reminders";
    public const string UploadsPurge = "uploads-purge";
    public const string BenchmarksNightly = "benchmarks-nightly";

    private static TimeZoneInfo London => UkTime.London;

    public static void Register(IRecurringJobManager manager, CollectionOptions collections, BenchmarkOptions benchmarks)
    {
        ArgumentNullException.ThrowIfNull(manager);
        ArgumentNullException.ThrowIfNull(collections);
        ArgumentNullException.ThrowIfNull(benchmarks);
        var options = new RecurringJobOptions { TimeZone = London };
        manager.AddOrUpdate<CollectionJobs>(CollectionSchedule, j => j.ApplyScheduleAsync(CancellationToken.None), collections.LifecycleCron, options);
        manager.AddOrUpdate<CollectionJobs>(CollectionReminders, j => j.SendRemindersAsync(CancellationToken.None), collections.RemindersCron, options);
        manager.AddOrUpdate<ReturnUploadService>(UploadsPurge, s => s.PurgeExpiredAsync(CancellationToken.None), Cron.Hourly(), options);
        manager.AddOrUpdate<BenchmarkJobs>(BenchmarksNightly, j => j.RunNightlyAsync(CancellationToken.None), benchmarks.NightlyCron, options);
    }

    /// <summary>Registers (or updates) the recurring jobs when the host starts.</summary>
    internal sealed class Registration(IServiceProvider services) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            Register(services.GetRequiredService<IRecurringJobManager>(), services.GetRequiredService<CollectionOptions>(), services.GetRequiredService<BenchmarkOptions>());
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
