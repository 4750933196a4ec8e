using System.ComponentModel.DataAnnotations;

namespace FgcReturns.Core.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>
    /// Run a Hangfire server in this process. Web instances behind a load balancer set Jobs__ServerEnabled=false and
    /// only enqueue; one or more workers (<c>fgc worker</c>) run the jobs.
    /// </summary>
    public bool ServerEnabled { get; set; } = true;

    /// <summary>
    /// How often a server looks for queued jobs when no notification arrived. Servers are woken at once by
    /// PostgreSQL LISTEN/NOTIFY when a job is queued by any process; this is only the fallback.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Jobs:QueuePollInterval must be between 0.1 seconds and 10 minutes, such as 00:00:05.")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a server moves due scheduled jobs (e.g. a debounced benchmark build) to the queue. Hangfire's default
    /// of 15 s would dominate the time from an acceptance to its new benchmarks.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "Jobs:SchedulePollingInterval must be between 0.1 seconds and 10 minutes, such as 00:00:01.")]
    public TimeSpan SchedulePollingInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Jobs one server runs at once.</summary>
    [Range(1, 64, ErrorMessage = "Jobs:WorkerCount must be a whole number from 1 to 64.")]
    public int WorkerCount { get; set; } = 2;
}
