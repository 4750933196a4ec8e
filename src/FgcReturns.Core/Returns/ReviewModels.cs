using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;

namespace FgcReturns.Core.Returns;

/// <summary>
/// The return as an analyst's page showed it: its row version (PostgreSQL xmin, checked on save) and the newest audit
/// row, from which the page is told what changed since.
/// </summary>
public sealed record SeenReturn(uint RowVersion, long LatestAuditId);

/// <summary>Everything the review page shows: the return (values, validation, previous year) with its submissions and notes.</summary>
public sealed record ReviewContext(
    ReturnContext Return,
    IReadOnlyList<ReturnSubmission> Submissions,
    IReadOnlyList<ReturnItemNote> Notes,
    long LatestAuditId = 0)
{
    /// <summary>What a form on the page sends back so a change made meanwhile by someone else is not overwritten.</summary>
    public SeenReturn Seen => new(Return.Return.RowVersion, LatestAuditId);

    public ReturnStatus Status => Return.Return.Status;
}

/// <summary>One item whose value differs between two submitted versions.</summary>
public sealed record VersionChange(string Key, string Label, string? SectionTitle, string From, string To);

public sealed record VersionComparison(
    ReturnContext Return,
    ReturnSubmission From,
    ReturnSubmission To,
    IReadOnlyList<VersionChange> Values,
    IReadOnlyList<VersionChange> Explanations);

public sealed record ReviewHistory(ReturnContext Return, IReadOnlyList<AuditEvent> Events);

/// <summary>A value beside the previous year's: the change, absolute and as a percentage, when both are numbers.</summary>
public sealed record YearOnYear(decimal? Current, decimal? Previous)
{
    public decimal? Change => Current is { } c && Previous is { } p ? c - p : null;

    /// <summary>Percentage change; null when there is no previous number or it was 0.</summary>
    public decimal? Percent => Change is { } d && Previous is { } p && p != 0 ? Math.Round(d / p * 100m, 1, MidpointRounding.AwayFromZero) : null;
}
