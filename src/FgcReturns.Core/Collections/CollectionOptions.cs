using System.Globalization;
using Microsoft.Extensions.Options;

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

    /// <summary>
    /// The UK hour (0-23, GMT or BST as the day has it) at which a reminder day's emails go out; 8 means 08:00 UK time.
    /// The reminder job runs then, and a run earlier on the day (a restart, a manual trigger) sends nothing yet.
    /// </summary>
    public int ReminderHour { get; set; } = 8;

    /// <summary>The reminder job's cron (Europe/London), every day at <see cref="ReminderHour"/>.</summary>
    public string RemindersCron => string.Create(CultureInfo.InvariantCulture, $"0 {ReminderHour} * * *");

    /// <summary>When a reminder day's emails may go out.</summary>
    public TimeOnly ReminderTime => new(Math.Clamp(ReminderHour, 0, 23), 0);

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

        if (ReminderHour is < 0 or > 23)
        {
            yield return string.Create(CultureInfo.InvariantCulture, $"Collections:ReminderHour must be a UK hour from 0 to 23, not {ReminderHour}.");
        }

        if (string.IsNullOrWhiteSpace(LifecycleCron))
        {
            yield return "Collections:LifecycleCron must be a cron expression.";
        }
    }
}

/// <summary>Stops the start when the Collections settings have problems, naming them all in plain words.</summary>
internal sealed class CollectionOptionsValidation : IValidateOptions<CollectionOptions>
{
    public ValidateOptionsResult Validate(string? name, CollectionOptions options) =>
        options.Problems().ToList() is { Count: > 0 } problems
            ? ValidateOptionsResult.Fail("The Collections settings are not valid: " + string.Join(" ", problems))
            : ValidateOptionsResult.Success;
}
