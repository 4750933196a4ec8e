using System.Globalization;

namespace FgcReturns.Core.Collections;

/// <summary>Settings under "Collections": when the lifecycle and reminder jobs run, and which reminders go out.</summary>
public sealed class CollectionOptions
{
    public const string Section = "Collections";

    /// <summary>The reminders sent when none are configured: 14 and 3 days before the deadline, and the day after it.</summary>
    public static readonly IReadOnlyList<int> DefaultReminderDays = [-14, -3, 1];

    /// <summary>
    /// Days relative to the deadline on which LAs that have not submitted are reminded: negative before, positive after.
    /// Empty means <see cref="DefaultReminderDays"/> (a default list here would be appended to by configuration binding).
    /// </summary>
    public int[] ReminderDays { get; set; } = [];

    /// <summary>A reminder missed because the job did not run on its day is still sent for this many days after it.</summary>
    public int ReminderGraceDays { get; set; } = 2;

    /// <summary>Cron (Europe/London) for opening and closing collections on their dates; hourly by default.</summary>
    public string LifecycleCron { get; set; } = "5 * * * *";

    /// <summary>Cron (Europe/London) for the reminder emails; 08:00 every day by default.</summary>
    public string RemindersCron { get; set; } = "0 8 * * *";

    public IReadOnlyList<int> EffectiveReminderDays => ReminderDays.Length > 0 ? ReminderDays : DefaultReminderDays;

    /// <summary>Problems with these settings, in plain English; empty when they are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (EffectiveReminderDays.Distinct().Count() != EffectiveReminderDays.Count)
        {
            yield return "Collections:ReminderDays must not repeat a day.";
        }

        if (EffectiveReminderDays.Any(d => d is < -90 or > 90 || d == 0))
        {
            yield return "Collections:ReminderDays must be days before (negative) or after (positive) the deadline, between -90 and 90, and not 0.";
        }

        if (ReminderGraceDays is < 0 or > 14)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Collections:ReminderGraceDays must be between 0 and 14, not {ReminderGraceDays}.");
        }

        if (string.IsNullOrWhiteSpace(LifecycleCron) || string.IsNullOrWhiteSpace(RemindersCron))
        {
            yield return "Collections:LifecycleCron and Collections:RemindersCron must be cron expressions.";
        }
    }
}
