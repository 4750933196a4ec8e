using System.Globalization;

namespace FgcReturns.Core.Uploads;

/// <summary>Who and what a downloaded template is for. Printed on its Instructions sheet and kept in its hidden _meta sheet.</summary>
public sealed record TemplateContext(
    string LaCode,
    string LaName,
    int CollectionId,
    string CollectionTitle,
    string Period,
    DateOnly Deadline,
    DateTimeOffset GeneratedAt);

/// <summary>
/// What an upload must match: the LA and collection of the return it is uploaded to, and the definition version
/// of that collection. The names are optional and only make messages friendlier.
/// </summary>
public sealed record UploadExpectation(
    string LaCode,
    int CollectionId,
    string DefinitionVersion,
    string? LaName = null,
    string? CollectionTitle = null);

/// <summary>One problem with an upload, located the way the user sees the file: "Sheet 'Referrals', cell D7" or "Line 12".</summary>
/// <param name="Location">Where the problem is; "File" for a problem with the whole file.</param>
/// <param name="Message">Plain English: what is wrong and how to fix it.</param>
/// <param name="ItemKey">The value key concerned, when there is one.</param>
public sealed record UploadProblem(string Location, string Message, string? ItemKey = null)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Location}: {Message}");
}

/// <summary>
/// The result of reading an upload. Nothing has been saved: the caller turns <see cref="Values"/> into proposed
/// changes, shows them with any problems, and saves through the same path as the form.
/// </summary>
public sealed class UploadParseResult
{
    public UploadParseResult(IReadOnlyDictionary<string, string?> values, IReadOnlyList<UploadProblem> problems, bool isRejected, int? totalProblems = null)
    {
        Values = values;
        Problems = problems;
        IsRejected = isRejected;
        TotalProblems = totalProblems ?? problems.Count;
    }

    /// <summary>
    /// Only the value keys present in the file whose value could be read, canonicalised as the form stores them:
    /// a number without separators, option values, 'yes'/'no', NULL for "not recorded", and "" for a blank answer
    /// (the item is in the file with no answer, so any saved answer is cleared). Keys not in the file are absent.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Values { get; }

    /// <summary>
    /// The first <see cref="UploadProblemList.Shown"/> problems found, in file order. A value with a problem is not in
    /// <see cref="Values"/>. <see cref="TotalProblems"/> counts them all.
    /// </summary>
    public IReadOnlyList<UploadProblem> Problems { get; }

    /// <summary>How many problems the file has, including those not kept in <see cref="Problems"/>.</summary>
    public int TotalProblems { get; }

    /// <summary>True when the whole file was refused (too large, wrong type, another LA...); then Values is empty.</summary>
    public bool IsRejected { get; }

    /// <summary>True when the file was read and every value in it is acceptable.</summary>
    public bool IsClean => !IsRejected && Problems.Count == 0;

    internal static UploadParseResult Reject(string message) =>
        new(new Dictionary<string, string?>(StringComparer.Ordinal), [new UploadProblem("File", message)], isRejected: true);
}

/// <summary>
/// Collects an upload's problems in bounded memory: keeps the first <see cref="Shown"/> and counts the rest, so a 5 MB
/// file of bad lines costs a counter, not a quarter of a million messages. The full list is produced on request by
/// reading the file again with a <see cref="Sink"/> that writes each problem out as it is found.
/// </summary>
public sealed class UploadProblemList
{
    /// <summary>How many problems a page shows.</summary>
    public const int Shown = 100;

    private readonly List<UploadProblem> kept = [];

    /// <summary>Receives every problem as it is found (for the downloadable full list); null to only keep the first ones.</summary>
    public Action<UploadProblem>? Sink { get; init; }

    public int Total { get; private set; }

    public IReadOnlyList<UploadProblem> Kept => kept;

    public void Add(UploadProblem problem)
    {
        Total++;
        if (kept.Count < Shown)
        {
            kept.Add(problem);
        }

        Sink?.Invoke(problem);
    }
}

/// <summary>Bad values quoted in messages: at most about 50 characters, so a 4 MB cell is not echoed back whole.</summary>
public static class UploadQuote
{
    public const int MaxChars = 50;

    /// <summary>The value in single quotes, cut to <see cref="MaxChars"/> characters with "..." and its length when longer.</summary>
    public static string Of(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var clean = new string(value.Take(MaxChars + 1).Select(c => char.IsControl(c) ? ' ' : c).ToArray());
        return clean.Length <= MaxChars
            ? "'" + clean + "'"
            : string.Create(CultureInfo.InvariantCulture, $"'{clean[..(MaxChars - 3)]}...' ({value.Length:N0} characters)");
    }
}
