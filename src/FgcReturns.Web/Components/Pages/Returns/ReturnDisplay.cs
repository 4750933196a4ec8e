using System.Globalization;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Data;
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
        // One colour for "In progress" everywhere (return status and section status).
        ReturnStatus.InProgress => GovTagColour.LightBlue,
        ReturnStatus.Submitted => GovTagColour.Turquoise,
        ReturnStatus.ReturnedForAmendment => GovTagColour.Orange,
        ReturnStatus.Accepted => GovTagColour.Green,
        _ => GovTagColour.Grey,
    });

    public static (string Text, GovTagColour? Colour) Section(SectionState s) => s switch
    {
        SectionState.NotStarted => ("Not yet started", GovTagColour.Blue),
        SectionState.InProgress => ("In progress", GovTagColour.LightBlue),
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

        var text = ValidationEngine.FormatValue(question, key, values);
        // Units on every number, grid cells included.
        return (question.IsNumeric || question.Grid is not null) && question.Unit is { } unit && AnswerParser.TryParseDecimal(answer.Text!, out _) ? text + " " + unit : text;
    }

    /// <summary>The question or cell a note is about, as the LA reads it.</summary>
    public static string ItemLabel(SurveyDefinition definition, string key) =>
        definition.QuestionForValueKey(key) is { } q ? AnswerParser.LabelFor(q, key)
        : definition.Questions.FirstOrDefault(q => q.Key == key)?.Label ?? key;

    public static string Describe(SurveyDefinition definition, AuditEvent e) => e.Action switch
    {
        AuditActions.ValueChanged when e.ItemKey is { } key => ItemLabel(definition, key),
        AuditActions.ExplanationChanged => "Explanation of a query about the figures",
        AuditActions.Submitted => "Submitted the return",
        AuditActions.Reopened => "Reopened the return",
        AuditActions.Accepted => "Accepted the return",
        AuditActions.ReturnedForAmendment => "Returned the return for amendment",
        AuditActions.ReopenedByAnalyst => "Reopened the accepted return",
        AuditActions.NoteAdded when e.ItemKey is { } key => "Note on " + ItemLabel(definition, key),
        _ => e.Action,
    };
}
