namespace FgcReturns.Core.Collections;

public enum CollectionStatus { Scheduled, Open, Closed }

/// <summary>One published definition version collected for one reporting period.</summary>
public sealed class Collection
{
    public int Id { get; init; }
    public required string SurveyId { get; set; }
    public required string DefinitionVersion { get; set; }

    /// <summary>Reporting period label, e.g. "2025-26".</summary>
    public required string Period { get; set; }
    public DateOnly PeriodStart { get; set; }
    public DateOnly PeriodEnd { get; set; }
    public DateOnly OpensOn { get; set; }
    public DateOnly Deadline { get; set; }
    public CollectionStatus Status { get; set; }

    /// <summary>When it last closed (by an administrator or at its deadline); null while scheduled or open.</summary>
    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Closed by an administrator before its deadline ended: nobody is overdue, so no overdue reminders.</summary>
    public bool ClosedEarly => Status == CollectionStatus.Closed && ClosedAt is { } closed && closed < UkTime.DeadlineEnds(Deadline);
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The day the analysts publish this year's benchmarks; null until they set it (downloads say "not yet published").</summary>
    public DateOnly? PublicationDate { get; set; }
    public string Title { get; set; } = "";

    /// <summary>PostgreSQL xmin, used for optimistic concurrency: an administrator's change from an older page is refused.</summary>
    public uint RowVersion { get; set; }
}
