using System.Globalization;
using System.Text.RegularExpressions;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Web.Components.GovUk;

namespace FgcReturns.Web.Components.Pages.Definitions;

/// <summary>Plain-English wording shared by the definition pages.</summary>
internal static partial class DefinitionText
{
    public static string StatusText(DefinitionStatus status) => status switch
    {
        DefinitionStatus.Draft => "Draft",
        DefinitionStatus.Published => "Published",
        DefinitionStatus.Retired => "Retired",
        _ => status.ToString(),
    };

    public static GovTagColour StatusColour(DefinitionStatus status) => status switch
    {
        DefinitionStatus.Draft => GovTagColour.Yellow,
        DefinitionStatus.Published => GovTagColour.Green,
        _ => GovTagColour.Grey,
    };

    public static string ShortHash(string hash) => hash.Length <= 12 ? hash : hash[..12];

    public static string PreviewHref(SurveyDefinition d) =>
        $"/definitions/{Uri.EscapeDataString(d.SurveyId)}/{Uri.EscapeDataString(d.Version)}";

    public static string CompareHref(string surveyId, string from, string to) =>
        $"/definitions/{Uri.EscapeDataString(surveyId)}/compare?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}";

    public static string TypeText(QuestionType type) => type switch
    {
        QuestionType.Count => "Count",
        QuestionType.Decimal => "Decimal number",
        QuestionType.YesNo => "Yes or no",
        QuestionType.SingleChoice => "Single choice",
        QuestionType.MultipleChoice => "Multiple choice",
        QuestionType.Text => "Text",
        QuestionType.CountGrid => "Count grid",
        _ => type.ToString(),
    };

    public static string SeverityText(Severity severity) => severity == Severity.Error ? "Error" : "Query";

    public static string HigherIsText(HigherIs higherIs) => higherIs switch
    {
        HigherIs.Better => "Higher is better",
        HigherIs.Worse => "Lower is better",
        _ => "Neither",
    };

    public static string Number(decimal value) => value.ToString("#,##0.##########", CultureInfo.InvariantCulture);

    /// <summary>A rule message with its placeholders shown as item keys: "{families_offered}" becomes "[families_offered]".</summary>
    public static string PlainMessage(SurveyDefinition definition, string message) =>
        Placeholder().Replace(message, m => m.Groups["kind"].Value switch
        {
            "label" => definition.FindQuestion(m.Groups["key"].Value)?.Label ?? m.Groups["key"].Value,
            "previous" => "[last year's " + m.Groups["key"].Value + "]",
            _ => "[" + m.Groups["key"].Value + "]",
        });

    [GeneratedRegex(@"\{(?:(?<kind>label|previous):)?(?<key>[A-Za-z0-9_.]+)\}")]
    private static partial Regex Placeholder();
}
