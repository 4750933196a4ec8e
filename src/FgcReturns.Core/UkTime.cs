using System.Globalization;

namespace FgcReturns.Core;

/// <summary>
/// The one place UK time comes from: "today", deadlines, days left, reminder times and displayed times are all
/// Europe/London (GMT in winter, BST in summer), whatever the server's own time zone.
/// </summary>
public static class UkTime
{
    public static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    /// <summary>The last moment of a deadline day: returns are accepted until 23:59:59 UK time.</summary>
    public static readonly TimeOnly DeadlineTime = new(23, 59, 59);

    /// <summary>Now on a UK clock (offset +00:00 or +01:00).</summary>
    public static DateTimeOffset Now(TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(clock);
        return ToUk(clock.GetUtcNow());
    }

    /// <summary>Today's date in the UK.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(Now(clock).DateTime);

    public static DateTimeOffset ToUk(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, London);

    /// <summary>A UK wall-clock time on a day as an instant; a time skipped when the clocks go forward reads as GMT.</summary>
    public static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);
        var offset = London.IsInvalidTime(local) ? London.BaseUtcOffset : London.GetUtcOffset(local);
        return new DateTimeOffset(local, offset);
    }

    /// <summary>When a deadline ends: 23:59:59 UK time on the day.</summary>
    public static DateTimeOffset DeadlineEnds(DateOnly deadline) => At(deadline, DeadlineTime);

    /// <summary>Whole UK days from today to the day: 0 on the day itself, negative once it has gone.</summary>
    public static int DaysUntil(DateOnly day, TimeProvider clock) => day.DayNumber - Today(clock).DayNumber;

    /// <summary>Whole UK days since a deadline ended: 0 on the deadline day or before it.</summary>
    public static int DaysOverdue(DateOnly deadline, TimeProvider clock) => Math.Max(0, -DaysUntil(deadline, clock));

    /// <summary>"Friday 18 December 2026".</summary>
    public static string LongDate(DateOnly date) => date.ToString("dddd d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"18 December 2026".</summary>
    public static string Date(DateOnly date) => date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    /// <summary>"18 December 2026 at 2:30pm", in UK time.</summary>
    public static string DateAndTime(DateTimeOffset instant) =>
        ToUk(instant).ToString("d MMMM yyyy 'at' h:mmtt", CultureInfo.InvariantCulture)
            .Replace("AM", "am", StringComparison.Ordinal).Replace("PM", "pm", StringComparison.Ordinal);

    /// <summary>"(3 days left)", "(today)", "(closed)" next to a deadline.</summary>
    public static string DaysLeftText(DateOnly deadline, TimeProvider clock) => DaysUntil(deadline, clock) switch
    {
        < 0 => "(closed)",
        0 => "(today)",
        1 => "(1 day left)",
        var days => string.Create(CultureInfo.InvariantCulture, $"({days} days left)"),
    };
}
