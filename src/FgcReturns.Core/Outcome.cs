namespace FgcReturns.Core;

/// <summary>How a command ended. Only <see cref="Done"/> changed anything.</summary>
public enum OutcomeStatus
{
    Done,

    /// <summary>The request was not acceptable as it stood (a form problem, or the wrong state for it).</summary>
    Refused,

    NotFound,

    /// <summary>This person may not do this.</summary>
    Forbidden,

    /// <summary>Someone else changed the thing after the page was shown; nothing was changed.</summary>
    Conflict,

    /// <summary>Too many people at the same moment; nothing was changed, so try again.</summary>
    Busy,
}

/// <summary>
/// One problem in the words the user sees, and the form field it belongs to (the id of the field on the page, so the
/// error summary can link to it); <see cref="Field"/> is "" when it is not about one field.
/// </summary>
public sealed record Problem(string Field, string Message)
{
    /// <summary>A problem with the request as a whole, not with one field.</summary>
    public static Problem General(string message) => new("", message);
}

/// <summary>
/// What a command service did: its status and, unless it was done, the problems to show. Every command that a page or
/// the API calls returns one, so a page binds each problem to its field without reading the words.
/// </summary>
public record Outcome(OutcomeStatus Status, IReadOnlyList<Problem> Problems)
{
    private static readonly Outcome Success = new(OutcomeStatus.Done, []);

    public bool Succeeded => Status == OutcomeStatus.Done;

    /// <summary>Every problem's words, in order, as one sentence run; null when there are none.</summary>
    public string? Message => Problems.Count == 0 ? null : string.Join(" ", Problems.Select(p => p.Message));

    /// <summary>The first problem about <paramref name="field"/>, or null.</summary>
    public string? ProblemFor(string field) => Problems.FirstOrDefault(p => p.Field == field)?.Message;

    public static Outcome Done() => Success;

    public static Outcome<T> Done<T>(T value) => new(OutcomeStatus.Done, [], value);

    public static Outcome Refused(params Problem[] problems) => new(OutcomeStatus.Refused, problems);

    public static Outcome Refused(IReadOnlyList<Problem> problems) => new(OutcomeStatus.Refused, problems);

    public static Outcome Refused(string field, string message) => new(OutcomeStatus.Refused, [new Problem(field, message)]);

    public static Outcome NotFound(string message, string field = "") => new(OutcomeStatus.NotFound, [new Problem(field, message)]);

    public static Outcome Forbidden(string message, string field = "") => new(OutcomeStatus.Forbidden, [new Problem(field, message)]);

    public static Outcome Conflict(params Problem[] problems) => new(OutcomeStatus.Conflict, problems);

    public static Outcome Conflict(IReadOnlyList<Problem> problems) => new(OutcomeStatus.Conflict, problems);

    public static Outcome Busy(string message) => new(OutcomeStatus.Busy, [Problem.General(message)]);

    /// <summary>This (failed) outcome as one that would have carried a value.</summary>
    public Outcome<T> As<T>() => new(Status, Problems, default);
}

/// <summary>An <see cref="Outcome"/> that carries what the command made or found (null or default unless it says otherwise).</summary>
public record Outcome<T>(OutcomeStatus Status, IReadOnlyList<Problem> Problems, T? Value) : Outcome(Status, Problems);
