namespace FgcReturns.Core.Jobs;

public sealed class JobsOptions
{
    public const string Section = "Jobs";

    /// <summary>Run a Hangfire server in this process; switch off to run a separate worker.</summary>
    public bool ServerEnabled { get; set; } = true;

    /// <summary>How often the in-process server polls its queues.</summary>
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);
}
