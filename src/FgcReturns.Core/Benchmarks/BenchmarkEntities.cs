namespace FgcReturns.Core.Benchmarks;

/// <summary>Which returns a build covers.</summary>
public enum BenchmarkKind
{
    /// <summary>Accepted returns only: what other LAs and the public may see.</summary>
    Final,

    /// <summary>Accepted and submitted-but-not-yet-accepted returns: analysts' provisional view.</summary>
    Provisional,
}

public enum BenchmarkBuildStatus { Running, Succeeded, Failed }

public enum BenchmarkTrigger { Acceptance, Nightly, OnDemand }

/// <summary>The kind of a measure: a count or decimal item (or count-grid cell), or an indicator.</summary>
public enum MeasureKind { Count, Decimal, Indicator }

/// <summary>The state of one LA's value for a measure.</summary>
public enum ValueState
{
    /// <summary>A number.</summary>
    Value,

    /// <summary>The LA answered "not recorded" (JSON null), or an indicator operand is not recorded. GSS symbol x.</summary>
    NotRecorded,

    /// <summary>The item was not answered (key missing), or the population is not available. GSS symbol x.</summary>
    NotAnswered,

    /// <summary>An indicator whose denominator is 0. GSS symbol z.</summary>
    NotApplicable,
}

/// <summary>The geography of an aggregate.</summary>
public enum AreaLevel
{
    National,
    Regional,

    /// <summary>The statistical-neighbour group of the LA whose code is the area code (its 10 neighbours, not itself).</summary>
    Neighbours,
}

/// <summary>One run of the benchmark build for a survey (all its collections) and a kind.</summary>
public sealed class BenchmarkBuild
{
    public long Id { get; init; }
    public required string SurveyId { get; init; }
    public BenchmarkKind Kind { get; init; }
    public BenchmarkBuildStatus Status { get; set; }

    /// <summary>True for the one build per survey and kind that readers use.</summary>
    public bool IsCurrent { get; set; }
    public BenchmarkTrigger Trigger { get; init; }
    public string? RequestedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? FinishedAt { get; set; }
    public long? DurationMs { get; set; }
    public string? Error { get; set; }

    /// <summary>The definition version whose keys are the series keys.</summary>
    public string SeriesVersion { get; set; } = "";
    public int SuppressionThreshold { get; init; }
    public int CollectionCount { get; set; }
    public int ReturnCount { get; set; }
    public int MeasureCount { get; set; }
    public int LaRowCount { get; set; }
    public int AreaRowCount { get; set; }
}

/// <summary>A measure of one collection in one build: an item (or grid cell) or an indicator of that collection's definition.</summary>
public sealed class BenchmarkMeasure
{
    public long BuildId { get; init; }
    public int CollectionId { get; init; }
    public required string MeasureKey { get; init; }

    /// <summary>The key in the newest definition version (following mapped_from), so years line up.</summary>
    public required string SeriesKey { get; init; }
    public MeasureKind Kind { get; init; }
    public required string Label { get; init; }
    public string? Unit { get; init; }
    public string? Section { get; init; }
    public string? Numerator { get; init; }
    public string? Denominator { get; init; }
    public decimal? Multiplier { get; init; }
    public string? HigherIs { get; init; }
    public int SortOrder { get; init; }
}

/// <summary>One LA's value of one measure in one collection.</summary>
public sealed class BenchmarkLaValue
{
    public long BuildId { get; init; }
    public int CollectionId { get; init; }
    public required string LaCode { get; init; }
    public required string MeasureKey { get; init; }
    public required string SeriesKey { get; init; }
    public ValueState State { get; init; }
    public decimal? Value { get; init; }
    public decimal? Numerator { get; init; }
    public decimal? Denominator { get; init; }

    /// <summary>A count from 1 to the threshold, or a rate computed from one: shown as c outside the analysts' own view.</summary>
    public bool Small { get; init; }

    /// <summary>Shown as c outside the LA's own outputs: small (primary) or hidden by secondary suppression.</summary>
    public bool Suppressed { get; init; }

    /// <summary>Rank among LAs reporting a value (1 = highest, or lowest when lower is better); ties share a rank.</summary>
    public int? Rank { get; init; }
    public int? RankOf { get; init; }

    /// <summary>Quartile band 1 to 4 from the rank (1 = the top quarter by rank).</summary>
    public int? Quartile { get; init; }
}

/// <summary>An aggregate of one measure over an area (England, a region, or an LA's statistical neighbours).</summary>
public sealed class BenchmarkAreaValue
{
    public long BuildId { get; init; }
    public int CollectionId { get; init; }
    public required string MeasureKey { get; init; }
    public required string SeriesKey { get; init; }
    public AreaLevel AreaLevel { get; init; }
    public required string AreaCode { get; init; }

    /// <summary>Sum of LA values (counts only).</summary>
    public decimal? Total { get; init; }
    public decimal? NumeratorTotal { get; init; }
    public decimal? DenominatorTotal { get; init; }

    /// <summary>Summed numerator / summed denominator x multiplier (indicators only).</summary>
    public decimal? Rate { get; init; }
    public decimal? Mean { get; init; }
    public decimal? Median { get; init; }
    public decimal? LowerQuartile { get; init; }
    public decimal? UpperQuartile { get; init; }
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }

    /// <summary>Minimum over LAs whose value is not small (safe to publish for rates).</summary>
    public decimal? PublicMin { get; init; }
    public decimal? PublicMax { get; init; }
    public int ReportingCount { get; init; }
    public int NotRecordedCount { get; init; }

    /// <summary>How many of the reporting LAs have a small (suppressed) value.</summary>
    public int SmallCount { get; init; }

    /// <summary>Statistics shown as c to others: set by the build's disclosure control (see <see cref="BenchmarkDisclosure"/>).</summary>
    public SuppressedStatistics SuppressedStatistics { get; init; }
}

/// <summary>
/// What a build's disclosure control of one collection was computed from, as a fingerprint, so that a later build
/// whose inputs are the same can take the suppression flags instead of computing them again (see
/// <see cref="BenchmarkBuilder"/>).
/// </summary>
public sealed class BenchmarkDisclosureInput
{
    public long BuildId { get; init; }
    public int CollectionId { get; init; }

    /// <summary>SHA-256 (lower-case hex) of everything the collection's figures and flags depend on.</summary>
    public required string Fingerprint { get; init; }

    /// <summary>The build whose flags this build took (the same inputs); null when this build protected and audited it.</summary>
    public long? ReusedFromBuildId { get; init; }
}

/// <summary>A pending, coalesced request to build a survey's benchmarks (at most one row per survey).</summary>
public sealed class BenchmarkBuildRequest
{
    public required string SurveyId { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public DateTimeOffset RunAt { get; init; }
    public string? JobId { get; set; }
}
