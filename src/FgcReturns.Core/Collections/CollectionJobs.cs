using Microsoft.Extensions.Logging;

namespace FgcReturns.Core.Collections;

/// <summary>The collections' recurring jobs (listed in Jobs/RecurringJobs.cs); Hangfire resolves this from DI per run.</summary>
public sealed class CollectionJobs(CollectionService collections, CollectionReminders reminders, ILogger<CollectionJobs> logger)
{
    /// <summary>Opens scheduled collections whose opening date has come; closes open ones past their deadline.</summary>
    public async Task ApplyScheduleAsync(CancellationToken ct)
    {
        foreach (var change in await collections.ApplyScheduleAsync(ct))
        {
            logger.LogInformation("Collection schedule: {Change}", change);
        }
    }

    /// <summary>Reminds LAs that have not submitted, once per milestone (Collections:ReminderDays).</summary>
    public async Task SendRemindersAsync(CancellationToken ct)
    {
        var sent = await reminders.SendDueAsync(ct);
        logger.LogInformation("Collection reminders: {Count} emails sent", sent);
    }
}
