using System.Globalization;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Components.Pages.Returns;

/// <summary>How answers, statuses and dates read on the return pages.</summary>
public static class ReturnDisplay
{
    public static string Date(DateOnly d) => d.ToString("d MMMM yyyy", CultureInfo.InvariantCulture);

    public static string DateTime(DateTimeOffset d) =>
        TimeZoneInfo.ConvertTime(d, London).ToString("d MMMM yyyy 'at' h:mmtt", CultureInfo.InvariantCulture).Replace("AM", "am", StringComparison.Ordinal).Replace("PM", "pm", StringComparison.Ordinal);

    private static readonly TimeZoneInfo London = TimeZoneInfo.FindSystemTimeZoneById("Europe/London");

    public static (string Text, GovTagColour Colour) Status(ReturnStatus s) => (ReturnStatusText.For(s), s switch
    {
        ReturnStatus.NotStarted => GovTagColour.Grey,
        ReturnStatus.InProgress => GovTagColour.Blue,
        ReturnStatus.Submitted => GovTagColour.Turquoise,
        ReturnStatus.ReturnedForAmendment => GovTagColour.Orange,
        ReturnStatus.Accepted => GovTagColour.Green,
        _ => GovTagColour.Grey,
    });

    public static (string Text, GovTagColour? Colour) Section(SectionState s) => s switch
    {
        SectionState.NotStarted => ("Not yet started", GovTagColour.Blue),
        SectionState.InProgress => ("In progress", GovTagColour.Yellow),
        SectionState.HasErrors => ("Has errors", GovTagColour.Red),
        _ => ("Completed", null),
    };

    /// <summary>An answer as a person reads it: numbers with separators, choice labels, "Not recorded", "Not answered".</summary>
    public static string Answer(Question question, string key, IReadOnlyDictionary<string, string?> values)
    {
        var answer = StoredAnswer.From(values, key);
        if (!answer.Answered)
        {
            return "Not answered";
        }

        if (answer.IsNotRecorded)
        {
            return "Not recorded";
        }

        var text = answer.Text!;
        if (question.IsChoice)
        {
            return string.Join(", ", text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(v => question.OptionLabel(v) ?? v));
        }

        if ((question.IsNumeric || question.Type == QuestionType.CountGrid) && AnswerParser.TryParseDecimal(text, out var number))
        {
            return ValueFormatter.Number(number) + (question.Unit is { } unit && question.Type != QuestionType.CountGrid ? " " + unit : "");
        }

        return text;
    }
}
