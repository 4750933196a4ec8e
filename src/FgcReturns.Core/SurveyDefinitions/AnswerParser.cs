using System.Globalization;

namespace FgcReturns.Core.SurveyDefinitions;

public enum AnswerState
{
    /// <summary>No value given (key missing, or blank text).</summary>
    Unanswered,

    /// <summary>The LA chose "not recorded" (a NULL value, or text such as "NR").</summary>
    NotRecorded,

    /// <summary>A valid value; see <see cref="Answer.Canonical"/>.</summary>
    Value,

    /// <summary>A value that fails the question's field checks.</summary>
    Invalid,
}

/// <summary>One stored value read through its question.</summary>
public readonly record struct Answer(AnswerState State, string? Canonical, decimal Number, string? RuleId, string? Error);

/// <summary>Turns what a user typed into a canonical value, with plain-English field errors. InvariantCulture throughout.</summary>
public static class AnswerParser
{
    private const NumberStyles Styles = NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite
        | NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowThousands;

    private static readonly HashSet<string> NotRecordedTexts = new(StringComparer.OrdinalIgnoreCase)
    {
        "nr", "n/r", "not recorded", "not-recorded", "not_recorded",
    };

    /// <summary>Parses a whole number, tolerating "1,234", "12.0" and surrounding spaces.</summary>
    public static bool TryParseWhole(string raw, out long value)
    {
        value = 0;
        if (!TryParseDecimal(raw, out var number) || number != decimal.Truncate(number)
            || number < long.MinValue || number > long.MaxValue)
        {
            return false;
        }

        value = (long)number;
        return true;
    }

    /// <summary>Parses a number, tolerating "1,234.5" and surrounding spaces.</summary>
    public static bool TryParseDecimal(string raw, out decimal value)
    {
        value = 0m;
        return raw is not null && decimal.TryParse(raw.Trim(), Styles, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>True for "NR", "N/R", "not recorded" in any case.</summary>
    public static bool IsNotRecordedText(string raw) => raw is not null && NotRecordedTexts.Contains(raw.Trim());

    /// <summary>
    /// The canonical stored text for what the user typed: digits without separators for numbers, option
    /// values for choices ('a,b' for multiple choice, in option order), 'yes'/'no'. Returns null for
    /// "not recorded" (with an error when the question does not allow it) and "" for blank input.
    /// </summary>
    public static string? Canonicalise(Question q, string raw, out string? error)
    {
        ArgumentNullException.ThrowIfNull(q);
        var answer = Check(q, raw, q.Label);
        error = answer.Error;
        return answer.State switch
        {
            AnswerState.Unanswered => "",
            AnswerState.NotRecorded => null,
            AnswerState.Value => answer.Canonical,
            _ => null,
        };
    }

    /// <summary>Reads one value key (a question or a grid cell) of a return.</summary>
    public static Answer Read(Question q, IReadOnlyDictionary<string, string?> values, string valueKey)
    {
        ArgumentNullException.ThrowIfNull(q);
        ArgumentNullException.ThrowIfNull(values);
        if (!values.TryGetValue(valueKey, out var raw))
        {
            return new Answer(AnswerState.Unanswered, null, 0m, null, null);
        }

        return raw is null ? NotRecorded(q, q.Label) : Check(q, raw, q.Label);
    }

    /// <summary>The label used in messages for a value key: the question label, plus row and column for a grid cell.</summary>
    public static string LabelFor(Question q, string valueKey)
    {
        ArgumentNullException.ThrowIfNull(q);
        if (q.Grid is null || valueKey == q.Key)
        {
            return q.Label;
        }

        var parts = valueKey.Split('.');
        var row = q.Grid.Rows.FirstOrDefault(r => parts.Length > 1 && r.Value == parts[1])?.Label ?? parts.ElementAtOrDefault(1);
        var column = parts.Length > 2 ? q.Grid.Columns.FirstOrDefault(c => c.Value == parts[2])?.Label ?? parts[2] : null;
        return column is null ? $"{q.Label}: {row}" : $"{q.Label}: {row}, {column}";
    }

    internal static Answer Check(Question q, string raw, string label)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return new Answer(AnswerState.Unanswered, null, 0m, null, null);
        }

        if (IsNotRecordedText(raw) && q.Type != QuestionType.Text)
        {
            return NotRecorded(q, label);
        }

        var text = raw.Trim();
        switch (q.Type)
        {
            case QuestionType.Count or QuestionType.CountGrid:
                if (!TryParseDecimal(text, out var whole) || whole != decimal.Truncate(whole))
                {
                    return Invalid("FIELD-WHOLE", $"{label} must be a whole number, like 12");
                }

                return CheckRange(q, label, whole, "fewer");
            case QuestionType.Decimal:
                if (!TryParseDecimal(text, out var number))
                {
                    return Invalid("FIELD-DECIMAL", $"{label} must be a number, like 2.5");
                }

                return CheckRange(q, label, number, "less");
            case QuestionType.YesNo:
                var yesNo = text.ToLowerInvariant() switch
                {
                    "yes" or "y" => "yes",
                    "no" or "n" => "no",
                    _ => null,
                };
                return yesNo is null
                    ? Invalid("FIELD-CHOICE", $"{label} must be yes or no")
                    : new Answer(AnswerState.Value, yesNo, 0m, null, null);
            case QuestionType.SingleChoice:
                var option = FindOption(q, text);
                return option is null
                    ? Invalid("FIELD-CHOICE", $"{label} must be one of: {string.Join("; ", q.Options.Select(o => o.Label))}")
                    : new Answer(AnswerState.Value, option.Value, 0m, null, null);
            case QuestionType.MultipleChoice:
                var chosen = new HashSet<string>(StringComparer.Ordinal);
                foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
                {
                    var found = FindOption(q, part);
                    if (found is null)
                    {
                        return Invalid("FIELD-CHOICE", $"'{part}' is not an option for {label}. Choose from: {string.Join("; ", q.Options.Select(o => o.Label))}");
                    }

                    chosen.Add(found.Value);
                }

                return new Answer(AnswerState.Value, string.Join(',', q.Options.Where(o => chosen.Contains(o.Value)).Select(o => o.Value)), 0m, null, null);
            default:
                return new Answer(AnswerState.Value, text, 0m, null, null);
        }
    }

    private static Answer NotRecorded(Question q, string label) =>
        q.AllowNotRecorded
            ? new Answer(AnswerState.NotRecorded, null, 0m, null, null)
            : Invalid("FIELD-NOT-RECORDED", $"{label} cannot be 'not recorded': enter an answer");

    private static ChoiceOption? FindOption(Question q, string text) =>
        q.Options.FirstOrDefault(o => string.Equals(o.Value, text, StringComparison.OrdinalIgnoreCase))
        ?? q.Options.FirstOrDefault(o => string.Equals(o.Label, text, StringComparison.OrdinalIgnoreCase));

    private static Answer CheckRange(Question q, string label, decimal value, string fewer)
    {
        var min = q.Min ?? 0m;
        if (value < 0m && min >= 0m)
        {
            return Invalid("FIELD-NEGATIVE", $"{label} must be 0 or more");
        }

        if (value < min)
        {
            return Invalid("FIELD-MIN", $"{label} must be {ValueFormatter.Number(min)} or more");
        }

        if (q.Max is { } max && value > max)
        {
            return Invalid("FIELD-MAX", $"{label} must be {ValueFormatter.Number(max)} or {fewer}");
        }

        return new Answer(AnswerState.Value, value.ToString("0.############################", CultureInfo.InvariantCulture), value, null, null);
    }

    private static Answer Invalid(string ruleId, string message) => new(AnswerState.Invalid, null, 0m, ruleId, message);
}

/// <summary>Formats values for messages: thousands separators, InvariantCulture.</summary>
public static class ValueFormatter
{
    public static string Number(decimal value) =>
        value == decimal.Truncate(value)
            ? value.ToString("#,##0", CultureInfo.InvariantCulture)
            : value.ToString("#,##0.##########", CultureInfo.InvariantCulture);
}
