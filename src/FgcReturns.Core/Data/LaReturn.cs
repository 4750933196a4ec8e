using FgcReturns.Core.Collections;
using FgcReturns.Core.ReferenceData;

namespace FgcReturns.Core.Data;

public enum ReturnStatus { NotStarted, InProgress, Submitted, ReturnedForAmendment, Accepted }

/// <summary>One LA's return for one collection: the working copy that is edited.</summary>
public sealed class LaReturn
{
    public int Id { get; init; }
    public int CollectionId { get; init; }
    public Collection? Collection { get; set; }
    public required string LaCode { get; init; }
    public LocalAuthority? LocalAuthority { get; set; }
    public ReturnStatus Status { get; set; }

    /// <summary>Item or grid-cell key to raw answer; a null value means "not recorded".</summary>
    public Dictionary<string, string?> Values { get; set; } = [];

    /// <summary>Rule id to the LA's explanation of a query.</summary>
    public Dictionary<string, string> Explanations { get; set; } = [];

    public int ErrorCount { get; set; }
    public int QueryCount { get; set; }

    /// <summary>The rules raising the queries at the last save, so the chase list can count those without an explanation.</summary>
    public List<string> QueryRuleIds { get; set; } = [];

    /// <summary>The rules raising errors at the last save, so an operator can count the errors people meet, by rule.</summary>
    public List<string> ErrorRuleIds { get; set; } = [];
    public int SubmittedVersion { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public DateTimeOffset? AcceptedAt { get; set; }
    public string? AcceptedBy { get; set; }
    public string? AnalystComment { get; set; }

    /// <summary>An analyst reopened the return, so the LA may edit it after the deadline.</summary>
    public bool ReopenedByAnalyst { get; set; }
    public DateTimeOffset? LastModifiedAt { get; set; }
    public string? LastModifiedBy { get; set; }

    /// <summary>PostgreSQL xmin, used for optimistic concurrency.</summary>
    public uint RowVersion { get; set; }

    public List<ReturnSubmission> Submissions { get; } = [];
}

/// <summary>An immutable snapshot frozen at submission.</summary>
public sealed class ReturnSubmission
{
    public int Id { get; init; }
    public int ReturnId { get; init; }
    public int VersionNumber { get; init; }
    public required string Reference { get; init; }
    public Dictionary<string, string?> Values { get; init; } = [];
    public Dictionary<string, string> Explanations { get; init; } = [];
    public required string ValidationIssuesJson { get; init; }
    public required string DefinitionVersion { get; init; }
    public required string DefinitionHash { get; init; }
    public required string SubmittedByUserId { get; init; }
    public required string SubmittedByEmail { get; init; }
    public required string DeclarationName { get; init; }
    public required string DeclarationRole { get; init; }
    public DateTimeOffset SubmittedAt { get; init; }
}

/// <summary>A parsed, checked upload waiting for the data lead to confirm it; nothing is applied until then.</summary>
public sealed class PendingUpload
{
    public Guid Id { get; init; }
    public int ReturnId { get; init; }
    public required string UserId { get; init; }
    public required string FileName { get; init; }
    public Dictionary<string, string?> Values { get; init; } = [];
    public uint BaseRowVersion { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
}
