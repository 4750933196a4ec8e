using System.Text.Json.Serialization;

namespace FgcReturns.Core.ApiClients;

/// <summary>An open collection the client's LA is asked to return, with the return to fill.</summary>
public sealed record ApiCollection(
    int CollectionId,
    string Title,
    string Period,
    string SurveyId,
    string DefinitionVersion,
    DateOnly PeriodStart,
    DateOnly PeriodEnd,
    DateOnly OpensOn,
    DateOnly Deadline,
    int ReturnId,
    string ReturnStatus);

/// <summary>A return as the API shows it: values, state, its version (the ETag) and the current checks.</summary>
public sealed record ApiReturn(
    int ReturnId,
    string LaCode,
    string LaName,
    ApiCollection Collection,
    string Status,
    [property: JsonPropertyName("etag")] string ETag,
    bool CanEdit,
    string? EditRefusal,
    IReadOnlyDictionary<string, object?> Values,
    IReadOnlyDictionary<string, string> Explanations,
    ApiValidation Validation,
    DateTimeOffset? LastModifiedAt,
    string? LastModifiedBy);

public sealed record ApiValidation(
    int ErrorCount,
    int QueryCount,
    IReadOnlyList<ApiIssue> Issues,
    IReadOnlyList<string> Unanswered,
    IReadOnlyList<string> SubmissionProblems);

/// <summary>One check that failed: its rule, severity (error or query), the items it concerns and the message people see.</summary>
public sealed record ApiIssue(string RuleId, string Severity, string Kind, IReadOnlyList<string> ItemKeys, string Message, string? Explanation);

/// <summary>What is wrong with one member of a request body, found at <see cref="Pointer"/> (RFC 6901).</summary>
public sealed record ApiItemProblem(string Type, string Pointer, string Detail);

public static class ApiProblemTypes
{
    public const string UnknownItem = "unknown-item";
    public const string WrongType = "wrong-type";
    public const string OutOfRange = "out-of-range";
    public const string NotRecordedNotAllowed = "not-recorded-not-allowed";
    public const string DuplicateItem = "duplicate-item";
    public const string InvalidValues = "invalid-values";
    public const string MalformedBody = "malformed-body";
    public const string CollectionClosed = "collection-closed";
    public const string ReturnReadOnly = "return-read-only";
    public const string NotFound = "not-found";
    public const string Unauthorized = "unauthorized";
    public const string PreconditionRequired = "precondition-required";
    public const string PreconditionFailed = "precondition-failed";
    public const string BodyTooLarge = "body-too-large";
    public const string RateLimited = "rate-limited";
    public const string Conflict = "conflict";
}

public enum ApiOutcomeKind { Ok, NotFound, InvalidItems, MalformedBody, PreconditionRequired, PreconditionFailed, CollectionClosed, ReadOnly, Conflict }

public sealed record ApiOutcome(ApiOutcomeKind Kind, ApiReturn? Return, ApiValidation? Validation, string? Message, IReadOnlyList<ApiItemProblem> Problems)
{
    public static readonly ApiOutcome NotFound = new(ApiOutcomeKind.NotFound, null, null, "There is no such return for your local authority.", []);

    public static ApiOutcome Ok(ApiReturn ret) => new(ApiOutcomeKind.Ok, ret, ret.Validation, null, []);

    public static ApiOutcome Checked(ApiValidation validation) => new(ApiOutcomeKind.Ok, null, validation, null, []);

    public static ApiOutcome Refused(ApiOutcomeKind kind, string message, IReadOnlyList<ApiItemProblem>? problems = null) => new(kind, null, null, message, problems ?? []);
}
