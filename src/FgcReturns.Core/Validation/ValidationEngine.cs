using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Validation;

public enum IssueKind { Field, Rule }

public sealed record ValidationIssue(string RuleId, Severity Severity, IssueKind Kind, string Message, IReadOnlyList<string> ItemKeys);

public sealed record ValidationResult(IReadOnlyList<ValidationIssue> Issues)
{
    public bool HasErrors => Issues.Any(i => i.Severity == Severity.Error);

    public IEnumerable<ValidationIssue> Errors => Issues.Where(i => i.Severity == Severity.Error);

    public IEnumerable<ValidationIssue> Queries => Issues.Where(i => i.Severity == Severity.Query);

    /// <summary>Issues about a question key or a grid cell key (a grid key also matches its cells).</summary>
    public IEnumerable<ValidationIssue> For(string itemKey) =>
        Issues.Where(i => i.ItemKeys.Any(k => k == itemKey || k.StartsWith(itemKey + ".", StringComparison.Ordinal)));
}

/// <summary>
/// The pure validation engine: field checks for every value, grid totals, then the definition's rules,
/// all in definition order. Unanswered questions are not errors here (see <see cref="Unanswered"/>).
/// </summary>
public static partial class ValidationEngine
{
    public const string GridTotalRuleId = "FIELD-GRID-TOTAL";

    /// <param name="definition">The return's definition.</param>
    /// <param name="values">The return's values.</param>
    /// <param name="previousAccepted">The LA's previous accepted return, for year-on-year rules.</param>
    /// <param name="peers">The latest final benchmark figures, for peer_range rules; without them those rules are silent.</param>
    public static ValidationResult Validate(
        SurveyDefinition definition,
        IReadOnlyDictionary<string, string?> values,
        IReadOnlyDictionary<string, string?>? previousAccepted = null,
        PeerReference? peers = null)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(values);
        var issues = new List<ValidationIssue>();
        var withFieldErrors = new HashSet<string>(StringComparer.Ordinal);

        foreach (var question in definition.Questions)
        {
            foreach (var key in question.ValueKeys)
            {
                if (!values.TryGetValue(key, out var raw))
                {
                    continue;
                }

                var answer = raw is null ? AnswerParser.Read(question, values, key) : AnswerParser.Check(question, raw, AnswerParser.LabelFor(question, key));
                if (answer.State == AnswerState.Invalid)
                {
                    issues.Add(new ValidationIssue(answer.RuleId!, Severity.Error, IssueKind.Field, LabelMessage(question, key, answer), [key]));
                    withFieldErrors.Add(question.Key);
                }
            }

            if (question.Grid?.TotalOf is { } totalOf && !withFieldErrors.Contains(question.Key)
                && definition.FindQuestion(totalOf) is { } totalQuestion)
            {
                var gridTotal = SumIfComplete(question, values);
                var total = AnswerParser.Read(totalQuestion, values, totalOf);
                if (gridTotal is not null && total.State == AnswerState.Value && gridTotal.Value != total.Number)
                {
                    issues.Add(new ValidationIssue(
                        GridTotalRuleId,
                        Severity.Error,
                        IssueKind.Field,
                        $"{question.Label} add up to {ValueFormatter.Number(gridTotal.Value)}, but {Lower(totalQuestion.Label)} is {ValueFormatter.Number(total.Number)}: the figures must add up to the same total",
                        [question.Key, totalOf]));
                }
            }
        }

        foreach (var rule in definition.Rules)
        {
            if (rule.ItemKeys.Concat(rule.ReferencedKeys).Any(withFieldErrors.Contains))
            {
                continue;
            }

            // A query asks the LA to check figures they gave: never about an answer not given yet.
            if (rule.Severity == Severity.Query && rule.ReferencedKeys.Any(k => !IsKeyAnswered(definition, k, values)))
            {
                continue;
            }

            if (rule.PeerRange is { } range)
            {
                if (PeerQuery(definition, range, values, peers) is { } peerMessage)
                {
                    issues.Add(new ValidationIssue(rule.Id, Severity.Query, IssueKind.Rule, peerMessage, rule.ItemKeys));
                }

                continue;
            }

            var context = new EvaluationContext(definition, values, previousAccepted, rule.WhenNotRecorded);
            if (rule.Expression!.EvaluateCondition(context) == RuleOutcome.Failed)
            {
                var message = FormatMessage(rule.Message, definition, values, previousAccepted);
                issues.Add(new ValidationIssue(rule.Id, rule.Severity, IssueKind.Rule, rule.Severity == Severity.Query ? QuerySentence(message) : message, rule.ItemKeys));
            }
        }

        return new ValidationResult(issues);
    }

    /// <summary>
    /// The peer query's message, or null when the value is within the bands or the rule is silent: no benchmark
    /// for the measure (the first year), no value (an operand not recorded, a zero denominator), a denominator below
    /// the rule's minimum, or the figure it needs was suppressed or below coverage. The lower England band is
    /// checked first, then the upper, then the neighbours: one query per rule.
    /// </summary>
    public static string? PeerQuery(SurveyDefinition definition, PeerRange range, IReadOnlyDictionary<string, string?> values, PeerReference? peers)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(range);
        ArgumentNullException.ThrowIfNull(values);
        if (peers is null || !peers.Measures.TryGetValue(range.Measure, out var figures))
        {
            return null;
        }

        decimal? value;
        if (definition.FindIndicator(range.Measure) is { } indicator)
        {
            value = indicator.Compute(values, peers.Population0To17);
            if (indicator.Denominator != Indicator.Population0To17 && range.MinimumDenominator > 0m
                && AnswerParser.Read(definition.FindQuestion(indicator.Denominator)!, values, indicator.Denominator) is { State: AnswerState.Value } denominator
                && denominator.Number < range.MinimumDenominator)
            {
                return null;
            }
        }
        else
        {
            var answer = AnswerParser.Read(definition.FindQuestion(range.Measure)!, values, range.Measure);
            value = answer.State == AnswerState.Value ? answer.Number : null;
        }

        if (value is not { } v)
        {
            return null;
        }

        string Format(decimal x) => MeasureFormat.Value(definition, range.Measure, x);
        var subject = $"Your {range.Name}, {Format(v)},";
        var median = figures.EnglandMedian is { } m ? $" (England median {Format(m)})" : "";
        const string Ask = " Check the figures, or explain why.";
        if (range.LowerPercentile is { } lower && figures.EnglandPercentiles.TryGetValue(lower, out var low) && v < low)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{subject} is lower than {100 - lower}% of local authorities {peers.When}{median}.{Ask}");
        }

        if (range.UpperPercentile is { } upper && figures.EnglandPercentiles.TryGetValue(upper, out var high) && v > high)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{subject} is higher than {upper}% of local authorities {peers.When}{median}.{Ask}");
        }

        if (range.NeighbourMedianTimes is { } times && figures.NeighbourMedian is { } neighbours && neighbours > 0m)
        {
            var n = Times(times);
            if (v > neighbours * times)
            {
                return $"{subject} is more than {n.More} the median of your statistical neighbours {peers.When} ({Format(neighbours)}).{Ask}";
            }

            if (v < neighbours / times)
            {
                return $"{subject} is less than {n.Less} the median of your statistical neighbours {peers.When} ({Format(neighbours)}).{Ask}";
            }
        }

        return null;
    }

    private static (string More, string Less) Times(decimal times) => times switch
    {
        2m => ("twice", "half"),
        3m => ("three times", "a third of"),
        4m => ("four times", "a quarter of"),
        _ => (times.ToString("0.##", CultureInfo.InvariantCulture) + " times", "1/" + times.ToString("0.##", CultureInfo.InvariantCulture) + " of"),
    };

    /// <summary>
    /// A query as a plain sentence ending in a full stop. Published definitions end some messages "…, or explain";
    /// they cannot change, so say what to explain.
    /// </summary>
    public static string QuerySentence(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var text = message.Trim();
        if (text.EndsWith("or explain", StringComparison.OrdinalIgnoreCase))
        {
            text += " why they are right";
        }

        return text.Length == 0 || text[^1] is '.' or '?' or '!' ? text : text + ".";
    }

    /// <summary>True when a value key (or every cell of a whole grid) has a value or "not recorded".</summary>
    private static bool IsKeyAnswered(SurveyDefinition definition, string key, IReadOnlyDictionary<string, string?> values)
    {
        var question = definition.QuestionForValueKey(key);
        if (question is not null && question.Grid is not null && key == question.Key)
        {
            return IsAnswered(question, values);
        }

        return values.TryGetValue(key, out var v) && (v is null || !string.IsNullOrWhiteSpace(v));
    }

    /// <summary>Questions not yet answered (a grid counts as answered when every cell is); "not recorded" counts as answered.</summary>
    public static IReadOnlyList<Question> Unanswered(SurveyDefinition definition, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Questions.Where(q => !IsAnswered(q, values)).ToList();
    }

    /// <summary>True when every value key of the question has a value or "not recorded".</summary>
    public static bool IsAnswered(Question question, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(values);
        return question.ValueKeys.All(k => values.TryGetValue(k, out var v) && (v is null || !string.IsNullOrWhiteSpace(v)));
    }

    /// <summary>True when at least one value key of the question has a value or "not recorded".</summary>
    public static bool IsStarted(Question question, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(question);
        ArgumentNullException.ThrowIfNull(values);
        return question.ValueKeys.Any(k => values.TryGetValue(k, out var v) && (v is null || !string.IsNullOrWhiteSpace(v)));
    }

    /// <summary>
    /// Fills a rule message: <c>{key}</c> (formatted value, or "not recorded"/"not answered"),
    /// <c>{label:key}</c> (the question label), <c>{previous:key}</c> (the value in the previous return).
    /// </summary>
    public static string FormatMessage(
        string message,
        SurveyDefinition definition,
        IReadOnlyDictionary<string, string?> values,
        IReadOnlyDictionary<string, string?>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(definition);
        return Placeholder().Replace(message, match =>
        {
            var prefix = match.Groups["prefix"].Value;
            var key = match.Groups["key"].Value;
            var question = definition.QuestionForValueKey(key);
            if (question is null)
            {
                return match.Value;
            }

            if (prefix == "label:")
            {
                return key == question.Key ? question.Label : AnswerParser.LabelFor(question, key);
            }

            var source = prefix == "previous:" ? previous : values;
            return source is null ? "not available" : FormatValue(question, key, source);
        });
    }

    /// <summary>A value formatted for a message, InvariantCulture with thousands separators; a whole grid gives its total.</summary>
    public static string FormatValue(Question question, string key, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(question);
        if (question.Grid is not null && key == question.Key)
        {
            var sum = SumIfComplete(question, values);
            return sum is null ? "incomplete" : ValueFormatter.Number(sum.Value);
        }

        var answer = AnswerParser.Read(question, values, key);
        return answer.State switch
        {
            AnswerState.Unanswered => "not answered",
            AnswerState.NotRecorded => "not recorded",
            AnswerState.Invalid => values.GetValueOrDefault(key)?.Trim() ?? "",
            _ when question.IsNumeric || question.Grid is not null => ValueFormatter.Number(answer.Number),
            _ when question.IsChoice => string.Join(", ", answer.Canonical!.Split(',').Select(v => question.OptionLabel(v) ?? v)),
            _ => answer.Canonical ?? "",
        };
    }

    private static decimal? SumIfComplete(Question grid, IReadOnlyDictionary<string, string?> values)
    {
        var (sum, complete) = GridTotal(grid, values);
        return complete ? sum : null;
    }

    /// <summary>
    /// The one grid sum, used by the engine and by the form's running total: the sum of the cells holding a valid
    /// number, and whether every cell does.
    /// </summary>
    public static (decimal Sum, bool Complete) GridTotal(Question grid, IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentNullException.ThrowIfNull(values);
        var total = 0m;
        var complete = true;
        foreach (var key in grid.ValueKeys)
        {
            var answer = AnswerParser.Read(grid, values, key);
            if (answer.State == AnswerState.Value)
            {
                total += answer.Number;
            }
            else
            {
                complete = false;
            }
        }

        return (total, complete);
    }

    private static string LabelMessage(Question question, string key, Answer answer) =>
        answer.RuleId == "FIELD-NOT-RECORDED" ? $"{AnswerParser.LabelFor(question, key)} cannot be 'not recorded': enter an answer" : answer.Error!;

    private static string Lower(string text)
    {
        if (text.Length < 2 || char.IsUpper(text[1]))
        {
            return text;
        }

        var sb = new StringBuilder(text);
        sb[0] = char.ToLowerInvariant(sb[0]);
        return sb.ToString();
    }

    [GeneratedRegex(@"\{(?<prefix>label:|previous:)?(?<key>[a-z0-9_.]+)\}")]
    private static partial Regex Placeholder();
}

public enum SectionState { NotStarted, InProgress, Completed, HasErrors }

/// <summary>Status of a section for the task list.</summary>
public static class SectionStatus
{
    public static SectionState Of(Section section, IReadOnlyDictionary<string, string?> values, IEnumerable<ValidationIssue> issues)
    {
        ArgumentNullException.ThrowIfNull(section);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(issues);
        var keys = section.Questions.Select(q => q.Key).ToHashSet(StringComparer.Ordinal);
        var hasErrors = issues.Any(i => i.Severity == Severity.Error
            && i.ItemKeys.Any(k => keys.Contains(k) || (k.IndexOf('.', StringComparison.Ordinal) is > 0 and var dot && keys.Contains(k[..dot]))));
        if (hasErrors)
        {
            return SectionState.HasErrors;
        }

        if (section.Questions.All(q => ValidationEngine.IsAnswered(q, values)))
        {
            return SectionState.Completed;
        }

        return section.Questions.Any(q => ValidationEngine.IsStarted(q, values)) ? SectionState.InProgress : SectionState.NotStarted;
    }

    public static SectionState Of(Section section, IReadOnlyDictionary<string, string?> values, ValidationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Of(section, values, result.Issues);
    }
}
