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
    private readonly Counter<long> errorsRaised;
    private readonly Counter<long> uploads;
    private readonly Counter<long> remindersSent;
    private readonly Counter<long> signInFailures;
    private readonly Counter<long> lockouts;
    private readonly Histogram<double> benchmarkBuildDuration;
    private readonly Counter<long> benchmarkRows;

    /// <summary>Values of the fgc.method tag on sign-in failures.</summary>
    public const string Password = "password";
    public const string DfeSignIn = "dfe-sign-in";

    public FgcMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        saves = meter.CreateCounter<long>("fgc.returns.saves", "{save}", "Saves of an LA's return (answers or explanations).");
        queriesRaised = meter.CreateCounter<long>("fgc.validation.queries_raised", "{query}", "Validation queries newly raised on a return, by rule.");
        errorsRaised = meter.CreateCounter<long>("fgc.validation.errors_raised", "{error}", "Validation errors newly raised on a return (absent before the save, present after it), by rule.");
        uploads = meter.CreateCounter<long>("fgc.uploads", "{upload}", "Uploaded files by outcome.");
        remindersSent = meter.CreateCounter<long>("fgc.reminders.sent", "{email}", "Reminder emails sent, by milestone (days from the deadline).");
        signInFailures = meter.CreateCounter<long>("fgc.sign_in.failures", "{attempt}", "Refused sign-ins, by method (password, dfe-sign-in) and reason.");
        lockouts = meter.CreateCounter<long>("fgc.sign_in.lockouts", "{lockout}", "Accounts locked out by wrong passwords.");
        benchmarkBuildDuration = meter.CreateHistogram<double>("fgc.benchmarks.build.duration", "s", "Benchmark builds, by kind and outcome.");
        benchmarkRows = meter.CreateCounter<long>("fgc.benchmarks.build.rows", "{row}", "Rows written by successful benchmark builds, by kind and level (la, area).");
    }

    public void ReturnSaved() => saves.Add(1);

    public void QueryRaised(string ruleId) => queriesRaised.Add(1, new KeyValuePair<string, object?>("fgc.rule", ruleId));

    public void ErrorRaised(string ruleId) => errorsRaised.Add(1, new KeyValuePair<string, object?>("fgc.rule", ruleId));

    public void UploadAccepted() => uploads.Add(1, new KeyValuePair<string, object?>("fgc.outcome", "accepted"));

    /// <summary>A refused upload; reason is not-editable, too-large, unreadable, rejected (the file as a whole) or problems (cells or lines).</summary>
    public void UploadRefused(string reason) =>
        uploads.Add(1, new KeyValuePair<string, object?>("fgc.outcome", "refused"), new KeyValuePair<string, object?>("fgc.reason", reason));

    public void BenchmarkBuilt(string kind, bool succeeded, TimeSpan elapsed, long laRows, long areaRows)
    {
        var kindTag = new KeyValuePair<string, object?>("fgc.kind", kind);
        benchmarkBuildDuration.Record(elapsed.TotalSeconds, kindTag, new KeyValuePair<string, object?>("fgc.outcome", succeeded ? "succeeded" : "failed"));
        if (succeeded)
        {
            benchmarkRows.Add(laRows, kindTag, new KeyValuePair<string, object?>("fgc.level", "la"));
            benchmarkRows.Add(areaRows, kindTag, new KeyValuePair<string, object?>("fgc.level", "area"));
        }
    }

    /// <summary>A refused sign-in; the reason is one of a few fixed words, never the address tried.</summary>
    public void SignInFailed(string method, string reason) =>
        signInFailures.Add(1, new KeyValuePair<string, object?>("fgc.method", method), new KeyValuePair<string, object?>("fgc.reason", reason));

    public void LockedOut() => lockouts.Add(1);

    public void RemindersSent(int count, int milestone) =>
        remindersSent.Add(count, new KeyValuePair<string, object?>("fgc.milestone", milestone));
}
