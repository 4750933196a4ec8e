using System.Diagnostics.Metrics;

namespace FgcReturns.Core.Telemetry;

/// <summary>
/// The portal's own metrics (meter "FgcReturns"), exported with the framework's through OpenTelemetry. Tags never
/// carry a value from a return or anything about a person: only rule ids, outcomes and milestones.
/// </summary>
public sealed class FgcMetrics
{
    public const string MeterName = "FgcReturns";

    private readonly Counter<long> saves;
    private readonly Counter<long> queriesRaised;
    private readonly Counter<long> uploads;
    private readonly Counter<long> remindersSent;

    public FgcMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        saves = meter.CreateCounter<long>("fgc.returns.saves", "{save}", "Saves of an LA's return (answers or explanations).");
        queriesRaised = meter.CreateCounter<long>("fgc.validation.queries_raised", "{query}", "Validation queries newly raised on a return, by rule.");
        uploads = meter.CreateCounter<long>("fgc.uploads", "{upload}", "Uploaded files by outcome.");
        remindersSent = meter.CreateCounter<long>("fgc.reminders.sent", "{email}", "Reminder emails sent, by milestone (days from the deadline).");
    }

    public void ReturnSaved() => saves.Add(1);

    public void QueryRaised(string ruleId) => queriesRaised.Add(1, new KeyValuePair<string, object?>("fgc.rule", ruleId));

    public void UploadAccepted() => uploads.Add(1, new KeyValuePair<string, object?>("fgc.outcome", "accepted"));

    public void RemindersSent(int count, int milestone) =>
        remindersSent.Add(count, new KeyValuePair<string, object?>("fgc.milestone", milestone));
}
