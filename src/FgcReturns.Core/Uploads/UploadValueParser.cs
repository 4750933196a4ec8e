using System.Globalization;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;

namespace FgcReturns.Core.Uploads;

/// <summary>
/// Reads one answer from a file through <see cref="AnswerParser"/>, so an upload accepts exactly what the form
/// accepts, and words the problem for a file: "'twelve' is not a whole number".
/// </summary>
internal static class UploadValueParser
{
    /// <summary>
    /// The canonical value ("" for blank, null for not recorded), or an error message. Multiple-choice answers
    /// may be separated by ';' or ','.
    /// </summary>
    public static bool TryParse(Question question, string valueKey, string raw, out string? canonical, out string? error)
    {
        canonical = null;
        error = null;
        var text = question.Type == QuestionType.MultipleChoice ? raw.Replace(';', ',') : raw;
        var answer = AnswerParser.Check(question, text, AnswerParser.LabelFor(question, valueKey));
        switch (answer.State)
        {
            case AnswerState.Unanswered:
                canonical = "";
                return true;
            case AnswerState.NotRecorded:
                return true;
            case AnswerState.Value:
                canonical = answer.Canonical;
                return true;
            default:
                error = Message(question, raw.Trim(), answer);
                return false;
        }
    }

    private static string Message(Question question, string shown, Answer answer)
    {
        var quoted = UploadQuote.Of(shown);
        var hasNumber = AnswerParser.TryParseDecimal(shown, out var number);
        var asNumber = hasNumber ? ValueFormatter.Number(number) : quoted;
        return answer.RuleId switch
        {
            "FIELD-WHOLE" when hasNumber => $"{quoted} is not a whole number: counts cannot have decimal places",
            "FIELD-WHOLE" => $"{quoted} is not a whole number. Type a number such as 12{NotRecordedHint(question)}",
            "FIELD-DECIMAL" => $"{quoted} is not a number. Type a number such as 2.5{NotRecordedHint(question)}",
            "FIELD-NEGATIVE" => $"{asNumber} must be 0 or more",
            "FIELD-MIN" => $"{asNumber} must be {ValueFormatter.Number(question.Min ?? 0m)} or more",
            "FIELD-MAX" => string.Create(
                CultureInfo.InvariantCulture,
                $"{asNumber} must be {ValueFormatter.Number(question.Max ?? 0m)} or {(question.IsWholeNumber ? "fewer" : "less")}"),
            "FIELD-NOT-RECORDED" => "'Not recorded' is not allowed for this question: enter an answer",
            "FIELD-CHOICE" when question.Type == QuestionType.YesNo => $"{quoted} is not Yes or No",
            "FIELD-CHOICE" => $"{UnknownChoice(question, shown)} is not one of the choices ({string.Join("; ", question.Options.Select(o => o.Label))})",
            _ => answer.Error ?? $"{quoted} is not a valid answer",
        };
    }

    private static string NotRecordedHint(Question question) => question.AllowNotRecorded ? ", or Not recorded" : "";

    /// <summary>For a multiple choice answer, the part that is not an option; otherwise the whole answer.</summary>
    private static string UnknownChoice(Question question, string shown)
    {
        if (question.Type != QuestionType.MultipleChoice)
        {
            return UploadQuote.Of(shown);
        }

        var unknown = shown.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .FirstOrDefault(part => !question.Options.Any(o =>
                string.Equals(o.Value, part, StringComparison.OrdinalIgnoreCase) || string.Equals(o.Label, part, StringComparison.OrdinalIgnoreCase)));
        return UploadQuote.Of(unknown ?? shown);
    }
}
