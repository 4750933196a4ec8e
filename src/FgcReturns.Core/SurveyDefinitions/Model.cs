using System.Globalization;

namespace FgcReturns.Core.SurveyDefinitions;

public enum DefinitionStatus { Draft, Published, Retired }

public enum QuestionType { Count, Decimal, YesNo, SingleChoice, MultipleChoice, Text, CountGrid }

public enum Severity { Error, Query }

public enum HigherIs { Better, Worse, Neither }

/// <summary>What a rule does when an item it uses is not recorded or not answered.</summary>
public enum NotRecordedHandling
{
    /// <summary>The rule is skipped (the default).</summary>
    Skip,

    /// <summary>The rule is evaluated with not recorded or unanswered numbers as 0 and choices as no answer.</summary>
    Evaluate,
}

public sealed record ChoiceOption(string Value, string Label);

public sealed record ItemMapping(string Version, string Key);

public sealed record GridDefinition(IReadOnlyList<ChoiceOption> Rows, IReadOnlyList<ChoiceOption> Columns, string? TotalOf)
{
    /// <summary>Cell keys in row-major order: <c>grid.row</c> without columns, <c>grid.row.col</c> with columns.</summary>
    public IEnumerable<string> CellKeys(string questionKey)
    {
        foreach (var row in Rows)
        {
            if (Columns.Count == 0)
            {
                yield return questionKey + "." + row.Value;
            }
            else
            {
                foreach (var column in Columns)
                {
                    yield return questionKey + "." + row.Value + "." + column.Value;
                }
            }
        }
    }

    /// <summary>The cells of one row (one cell when the grid has no columns).</summary>
    public IEnumerable<string> RowCellKeys(string questionKey, string row) =>
        Columns.Count == 0
            ? [questionKey + "." + row]
            : Columns.Select(c => questionKey + "." + row + "." + c.Value);
}

public sealed class Question
{
    public required string Key { get; init; }
    public required string Label { get; init; }
    public string? Hint { get; init; }
    public string? Guidance { get; init; }
    public required QuestionType Type { get; init; }
    public bool AllowNotRecorded { get; init; }
    public decimal? Min { get; init; }
    public decimal? Max { get; init; }
    public string? Unit { get; init; }
    public IReadOnlyList<ChoiceOption> Options { get; init; } = [];
    public GridDefinition? Grid { get; init; }
    public IReadOnlyList<ItemMapping> MappedFrom { get; init; } = [];

    /// <summary>The key of the section holding this question.</summary>
    public string SectionKey { get; internal set; } = "";

    /// <summary>True for count and decimal questions (a single number).</summary>
    public bool IsNumeric => Type is QuestionType.Count or QuestionType.Decimal;

    /// <summary>True when the question holds whole numbers (count, or the cells of a count grid).</summary>
    public bool IsWholeNumber => Type is QuestionType.Count or QuestionType.CountGrid;

    public bool IsChoice => Type is QuestionType.SingleChoice or QuestionType.MultipleChoice or QuestionType.YesNo;

    /// <summary>The options of a choice question; yes/no questions get 'yes' and 'no'.</summary>
    public IReadOnlyList<ChoiceOption> EffectiveOptions =>
        Type == QuestionType.YesNo ? YesNoOptions : Options;

    /// <summary>Every value key this question stores: itself, or its cells for a grid.</summary>
    public IEnumerable<string> ValueKeys => Grid is null ? [Key] : Grid.CellKeys(Key);

    public string? OptionLabel(string value) =>
        EffectiveOptions.FirstOrDefault(o => string.Equals(o.Value, value, StringComparison.Ordinal))?.Label;

    internal static readonly IReadOnlyList<ChoiceOption> YesNoOptions = [new("yes", "Yes"), new("no", "No")];

    public override string ToString() => Key;
}

public sealed class Section
{
    public required string Key { get; init; }
    public required string Title { get; init; }
    public string? Description { get; init; }
    public required IReadOnlyList<Question> Questions { get; init; }
}

public sealed class ValidationRule
{
    public required string Id { get; init; }
    public required Severity Severity { get; init; }
    public required string Assert { get; init; }
    public required string Message { get; init; }

    /// <summary>The questions the rule concerns: the <c>items</c> list, or the questions used in the expression.</summary>
    public required IReadOnlyList<string> ItemKeys { get; init; }

    public NotRecordedHandling WhenNotRecorded { get; init; } = NotRecordedHandling.Skip;

    /// <summary>The parsed, type-checked expression; null for a <see cref="PeerRange"/> rule, which has none.</summary>
    public Expression? Expression { get; init; }

    /// <summary>Set for a <c>peer_range</c> rule: a query against last year's final benchmark instead of an expression.</summary>
    public PeerRange? PeerRange { get; init; }

    /// <summary>The value keys the rule reads: the expression's, or the peer rule's measure operands.</summary>
    public IReadOnlyList<string> ReferencedKeys => Expression?.ReferencedKeys ?? PeerRange?.Operands ?? [];

    public override string ToString() => Id;
}

/// <summary>
/// A peer plausibility check (<c>peer_range</c>): a query, never an error, when the LA's value of a measure falls
/// outside a band of the latest final benchmark for it. Silent when there is no final benchmark for the measure.
/// </summary>
/// <param name="Measure">An indicator key (compared as a rate from the LA's own numerator and denominator) or a decimal question.</param>
/// <param name="Name">How the message names the measure after "Your", e.g. "acceptance rate".</param>
/// <param name="LowerPercentile">Query below this England percentile (e.g. 5), or null.</param>
/// <param name="UpperPercentile">Query above this England percentile (e.g. 95), or null.</param>
/// <param name="NeighbourMedianTimes">Query above this many times, or below one over this many times, the neighbours' median; or null.</param>
/// <param name="MinimumDenominator">The rule is silent when the LA's denominator is smaller (a rate from a handful of families says little).</param>
/// <param name="Operands">The value keys the measure is computed from.</param>
public sealed record PeerRange(
    string Measure,
    string Name,
    int? LowerPercentile,
    int? UpperPercentile,
    decimal? NeighbourMedianTimes,
    decimal MinimumDenominator,
    IReadOnlyList<string> Operands)
{
    /// <summary>The England percentiles the rule needs from the benchmark.</summary>
    public IEnumerable<int> Percentiles => new[] { LowerPercentile, UpperPercentile }.OfType<int>();

    /// <summary>The check in words, for the definition preview and the data specification workbook.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (LowerPercentile is { } lower)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"below the {Ordinal(lower)} percentile of England"));
        }

        if (UpperPercentile is { } upper)
        {
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"above the {Ordinal(upper)} percentile of England"));
        }

        if (NeighbourMedianTimes is { } times)
        {
            var n = times.ToString("0.##", CultureInfo.InvariantCulture);
            parts.Add($"more than {n} times, or less than 1/{n} of, the statistical neighbours' median");
        }

        var when = MinimumDenominator > 0
            ? string.Create(CultureInfo.InvariantCulture, $" (only when the denominator is at least {MinimumDenominator:0.##})")
            : "";
        return $"peer_range {Measure}: a query when the value is {string.Join(", or ", parts)}, in the latest final benchmark{when}. "
            + "Silent when there is no final benchmark yet (the first year).";
    }

    public static string Ordinal(int n) => (n % 100) switch
    {
        11 or 12 or 13 => n.ToString(CultureInfo.InvariantCulture) + "th",
        _ => n.ToString(CultureInfo.InvariantCulture) + ((n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" }),
    };
}

public sealed class Indicator
{
    /// <summary>The denominator that means the LA's resident population aged 0 to 17.</summary>
    public const string Population0To17 = "population_0_17";

    public required string Key { get; init; }
    public required string Label { get; init; }
    public required string Numerator { get; init; }
    public required string Denominator { get; init; }
    public required decimal Multiplier { get; init; }
    public required string Unit { get; init; }
    public required HigherIs HigherIs { get; init; }

    /// <summary>
    /// The indicator value, or null when an operand is missing, not recorded or the denominator is 0.
    /// </summary>
    public decimal? Compute(IReadOnlyDictionary<string, string?> values, decimal? population0To17 = null)
    {
        var numerator = Read(values, Numerator);
        var denominator = Denominator == Population0To17 ? population0To17 : Read(values, Denominator);
        if (numerator is null || denominator is null || denominator.Value == 0m)
        {
            return null;
        }

        return numerator.Value / denominator.Value * Multiplier;
    }

    private static decimal? Read(IReadOnlyDictionary<string, string?> values, string key) =>
        values.TryGetValue(key, out var raw) && raw is not null
            && decimal.TryParse(raw.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}

public sealed class SurveyDefinition
{
    private readonly Dictionary<string, Question> _questions;

    public SurveyDefinition(
        string surveyId,
        string version,
        DefinitionStatus status,
        string title,
        string periodType,
        string changelog,
        IReadOnlyList<Section> sections,
        IReadOnlyList<ValidationRule> rules,
        IReadOnlyList<Indicator> indicators,
        string contentHash,
        string sourcePath)
    {
        SurveyId = surveyId;
        Version = version;
        Status = status;
        Title = title;
        PeriodType = periodType;
        Changelog = changelog;
        Sections = sections;
        Rules = rules;
        Indicators = indicators;
        ContentHash = contentHash;
        SourcePath = sourcePath;
        _questions = new Dictionary<string, Question>(StringComparer.Ordinal);
        foreach (var section in sections)
        {
            foreach (var question in section.Questions)
            {
                question.SectionKey = section.Key;
                _questions.TryAdd(question.Key, question);
            }
        }
    }

    public string SurveyId { get; }
    public string Version { get; }
    public DefinitionStatus Status { get; }
    public string Title { get; }

    /// <summary>Reporting period type; <c>financial_year</c> is 1 April to 31 March.</summary>
    public string PeriodType { get; }
    public string Changelog { get; }
    public IReadOnlyList<Section> Sections { get; }
    public IReadOnlyList<ValidationRule> Rules { get; }
    public IReadOnlyList<Indicator> Indicators { get; }

    /// <summary>The case-level tracker this version can be computed from, if it declares one.</summary>
    public TrackerSpec? Tracker { get; init; }

    /// <summary>SHA-256 (lower-case hex) of the file text with line endings normalised to \n.</summary>
    public string ContentHash { get; }
    public string SourcePath { get; }

    public SemanticVersion SemanticVersion => SemanticVersion.Parse(Version);

    public IEnumerable<Question> Questions => Sections.SelectMany(s => s.Questions);

    public Question? FindQuestion(string key) => _questions.GetValueOrDefault(key);

    public Section? FindSection(string key) => Sections.FirstOrDefault(s => s.Key == key);

    public ValidationRule? FindRule(string id) => Rules.FirstOrDefault(r => r.Id == id);

    public Indicator? FindIndicator(string key) => Indicators.FirstOrDefault(i => i.Key == key);

    /// <summary>The question owning a value key (a question key or a grid cell key).</summary>
    public Question? QuestionForValueKey(string valueKey)
    {
        if (_questions.TryGetValue(valueKey, out var question))
        {
            return question;
        }

        var dot = valueKey.IndexOf('.', StringComparison.Ordinal);
        return dot > 0 && _questions.TryGetValue(valueKey[..dot], out var grid) && grid.Grid is not null ? grid : null;
    }

    public override string ToString() => SurveyId + " " + Version;
}

public sealed record DefinitionProblem(string File, int Line, int Column, string Message)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{File}:{Line}:{Column}: {Message}");
}

public sealed record DefinitionLoadResult(IReadOnlyList<SurveyDefinition> Definitions, IReadOnlyList<DefinitionProblem> Problems)
{
    public bool IsValid => Problems.Count == 0;
}

/// <summary>A version like 1.0 or 1.2.3, ordered numerically (missing parts count as 0).</summary>
public readonly record struct SemanticVersion(int Major, int Minor, int Patch) : IComparable<SemanticVersion>
{
    public static bool TryParse(string? text, out SemanticVersion version)
    {
        version = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var parts = text.Split('.');
        if (parts.Length is < 2 or > 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (parts[i].Length == 0 || !parts[i].All(char.IsAsciiDigit)
                || !int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new SemanticVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public static SemanticVersion Parse(string text) =>
        TryParse(text, out var version) ? version : throw new FormatException($"'{text}' is not a version like 1.0 or 1.0.1.");

    public int CompareTo(SemanticVersion other)
    {
        var c = Major.CompareTo(other.Major);
        if (c != 0)
        {
            return c;
        }

        c = Minor.CompareTo(other.Minor);
        return c != 0 ? c : Patch.CompareTo(other.Patch);
    }

    public static bool operator <(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) < 0;
    public static bool operator >(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) > 0;
    public static bool operator <=(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) <= 0;
    public static bool operator >=(SemanticVersion a, SemanticVersion b) => a.CompareTo(b) >= 0;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
