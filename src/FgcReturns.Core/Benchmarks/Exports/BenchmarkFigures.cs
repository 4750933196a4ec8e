using System.Globalization;
using FgcReturns.Core.Benchmarks;

namespace FgcReturns.Core.Exports;

/// <summary>Shared wording and figure choices for the benchmark outputs.</summary>
public static class BenchmarkFigures
{
    public const string EnglandCode = "E92000001";

    public static string UnitText(BenchmarkMeasure m) => m.Kind switch
    {
        MeasureKind.Indicator => m.Unit ?? "rate",
        _ => m.Unit ?? "number",
    };

    /// <summary>"Families offered an FGC (families)".</summary>
    public static string HeaderWithUnit(BenchmarkMeasure m) => m.Label + " (" + UnitText(m) + ")";

    /// <summary>
    /// "Families offered an FGC (families; key families_offered)": the unit and the item key in round brackets, because
    /// in these workbooks square brackets only ever mean a note ([note 1]) or a symbol ([c], [x], [z]).
    /// </summary>
    public static string HeaderWithUnitAndKey(BenchmarkMeasure m) => m.Label + " (" + UnitText(m) + "; key " + m.MeasureKey + ")";

    /// <summary>The statistic that best summarises an area: total for counts, rate for indicators, median for decimals.</summary>
    public static DisclosureControl.Statistic Headline(MeasureKind kind) => kind switch
    {
        MeasureKind.Count => DisclosureControl.Statistic.Total,
        MeasureKind.Indicator => DisclosureControl.Statistic.Rate,
        _ => DisclosureControl.Statistic.Median,
    };

    public static string HeadlineName(MeasureKind kind) => kind switch
    {
        MeasureKind.Count => "total",
        MeasureKind.Indicator => "rate from summed numerators and denominators",
        _ => "median of local authorities",
    };

    public static string NumberFormat(MeasureKind kind, DisclosureControl.Statistic? statistic = null) =>
        DisclosureControl.Decimals(kind, statistic) == 0 ? "#,##0" : "#,##0.0";

    public static string Status(BenchmarkSnapshot s) =>
        (s.Build.Kind == BenchmarkKind.Provisional
            ? "Provisional: includes returns submitted but not yet accepted by analysts. Figures will change."
            : s.Collection.Closed && s.Collection.MeetsCoverage
                ? "Final: accepted returns only."
                : "Provisional: accepted returns only; more returns may be added.")
        + (s.Collection.ProvisionalLabel is { } label ? " Figures for " + s.Collection.Period + " are " + label + "." : "");

    /// <summary>"final" or "provisional", for file names.</summary>
    public static string StatusWord(BenchmarkSnapshot s) =>
        s.Build.Kind == BenchmarkKind.Final && s.Collection.ProvisionalLabel is null ? "final" : "provisional";

    public static string BuiltAt(BenchmarkSnapshot s) =>
        (s.Build.FinishedAt ?? s.Build.StartedAt).ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The cover's publication date line: the date the analysts set for this year (on the collection's page)
    /// as a real date, or, with none set, a plain statement that the figures are not yet published.
    /// </summary>
    public static GafWorkbook.CoverLine PublicationLine(DateOnly? publishedOn) => publishedOn is { } date
        ? new("Publication date", "Published on:", date.ToDateTime(TimeOnly.MinValue))
        : new("Publication date", NotYetPublished);

    public const string NotYetPublished = "Not yet published: no publication date has been set for these figures. They are management information and may change before they are published.";

    /// <summary>A return status in words ("NotStarted" becomes "Not started"); no return at all is "No return".</summary>
    public static string StatusText(string? status) => string.IsNullOrEmpty(status)
        ? "No return"
        : status[..1] + System.Text.RegularExpressions.Regex.Replace(status[1..], "(?<=[a-z])(?=[A-Z])", " ").ToLowerInvariant();

    public static string RegionName(BenchmarkSnapshot s, string code) => s.Regions.GetValueOrDefault(code, code);

    public static string Sensitivity(DisclosureView view) => view == DisclosureView.Unsuppressed
        ? "OFFICIAL-SENSITIVE: this workbook contains unsuppressed small numbers. For Foundations analysts only; do not share or publish."
        : "OFFICIAL: small numbers are suppressed (shown as [c]). Suitable for sharing.";

    /// <summary>"[note 1] [note 7]": references to <see cref="Notes"/> (numbered from 1 in that order) for a table title.</summary>
    public static string NoteRefs(params int[] numbers) =>
        string.Join(" ", numbers.Select(n => "[note " + n.ToString(CultureInfo.InvariantCulture) + "]"));

    public static IReadOnlyList<string> Notes(BenchmarkSnapshot s, DisclosureView view) =>
    [
        "Source: local authorities' FGC annual returns. " + (s.Build.Kind == BenchmarkKind.Final
            ? "Only returns accepted by analysts are included."
            : "Returns submitted but not yet accepted are included (provisional)."),
        "Rates for England, regions and statistical neighbours are computed from summed numerators and summed denominators of the local authorities reporting both, not as a mean of local authority rates.",
        "Rates per 10,000 children use the ONS mid-year estimate of the population aged 0 to 17 for the year in which the reporting period starts, or the latest earlier estimate when that year is not yet published.",
        "Mean, median, lower and upper quartile, minimum and maximum are across local authorities reporting a value. Quartiles interpolate linearly between local authorities (as Excel's QUARTILE.INC).",
        "Rank 1 is the highest value, or the lowest when lower is better. Local authorities with equal values share a rank. Quartile band 1 is the top quarter by rank.",
        "A local authority's statistical neighbours are the 10 most similar local authorities in DfE's children's services statistical neighbour model; the neighbour group does not include the local authority itself.",
        view == DisclosureView.Suppressed
            ? string.Create(CultureInfo.InvariantCulture, $"Suppression [c]. Counts from 1 to {s.Threshold} are suppressed (primary suppression), and so is any England or regional total from 1 to {s.Threshold}. Because a reader could work a suppressed count out from other published figures, further figures are suppressed (secondary suppression) so that no suppressed figure is the only unknown in any relation a reader knows: breakdowns adding up to their total, outcomes adding up to children whose family had an FGC, local authorities adding up to their region, England and each statistical-neighbour group, and rates from their numerators and denominators. The smallest figures are chosen first, and totals are kept where possible. A local authority's rate is suppressed when its numerator or denominator is. The mean of counts is shown only with the total. A median, quartile, minimum or maximum is suppressed when a suppressed figure is among the one or two local authorities it is computed from, unless a local authority in the same area whose figure is published has exactly that value (it then tells a reader nothing about the suppressed figure). Each build is checked by an audit that tries every relation repeatedly and is not published if any suppressed figure can be worked out.")
            : "No figures are suppressed in this workbook. " + Sensitivity(view),
        string.Create(CultureInfo.InvariantCulture, $"Coverage [x]. England figures for a year are shown only when enough local authorities reported the item (the minimum coverage, 75% of the {s.Collection.TotalLas} local authorities by default), and a region's or neighbour group's only when at least 3 of its local authorities did; otherwise they are [x]. A year below the minimum coverage, or still open, is provisional, and says on how many local authorities it is based."),
        "Items renamed between versions of the return are shown under their newest key (series key), so years line up.",
    ];
}
