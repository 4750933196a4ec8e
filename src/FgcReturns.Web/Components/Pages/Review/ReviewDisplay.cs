using System.Globalization;
using FgcReturns.Core.Audit;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;

namespace FgcReturns.Web.Components.Pages.Review;

/// <summary>How the review pages word changes, notes and audit events.</summary>
public static class ReviewDisplay
{
    /// <summary>"+5 (+12.5%)", "-3 (-10%)", "No change", or "" when there is nothing to compare.</summary>
    public static string Change(YearOnYear? change)
    {
        if (change?.Change is not { } d)
        {
            return "";
        }

        if (d == 0)
        {
            return "No change";
        }

        var absolute = (d > 0 ? "+" : "-") + ValueFormatter.Number(Math.Abs(d));
        return change.Percent is { } p
            ? absolute + " (" + (p > 0 ? "+" : "") + p.ToString("0.#", CultureInfo.InvariantCulture) + "%)"
            : absolute;
    }

    /// <summary>The question or cell a note is about, as the LA reads it.</summary>
    public static string ItemLabel(SurveyDefinition definition, string key) =>
        definition.QuestionForValueKey(key) is { } q ? AnswerParser.LabelFor(q, key)
        : definition.Questions.FirstOrDefault(q => q.Key == key)?.Label ?? key;

    public static string Describe(SurveyDefinition definition, AuditEvent e) => e.Action switch
    {
        "ValueChanged" when e.ItemKey is { } key => ItemLabel(definition, key),
        "ExplanationChanged" => $"Explanation of query {e.ItemKey}",
        "Submitted" => "Submitted the return",
        "Reopened" => "Reopened the return",
        "Accepted" => "Accepted the return",
        "ReturnedForAmendment" => "Returned the return for amendment",
        "ReopenedByAnalyst" => "Reopened the accepted return",
        "NoteAdded" when e.ItemKey is { } key => "Note on " + ItemLabel(definition, key),
        _ => e.Action,
    };
}
