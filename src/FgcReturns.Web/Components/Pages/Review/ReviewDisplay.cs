using System.Globalization;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;

namespace FgcReturns.Web.Components.Pages.Review;

/// <summary>How the review pages word year-on-year changes.</summary>
public static class ReviewDisplay
{
    /// <summary>
    /// A change worth the analyst's eye: by more than half and by more than 10, the same test as the year-on-year query
    /// (so +400% on 2 → 10 is not flagged, 20 → 100 is).
    /// </summary>
    public static bool IsLarge(YearOnYear? change) =>
        change is { Change: { } d, Previous: { } previous } && Math.Abs(d) > 10 && Math.Abs(d) > 0.5m * Math.Abs(previous);

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
}
