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
        s.Build.Kind == BenchmarkKind.Provisional
            ? "Provisional: includes returns submitted but not yet accepted by analysts. Figures will change."
            : s.Collection.Closed
                ? "Final: accepted returns only."
                : "Provisional: accepted returns only; the collection is still open, so more returns may be added.";

    public static string BuiltAt(BenchmarkSnapshot s) =>
        (s.Build.FinishedAt ?? s.Build.StartedAt).ToString("d MMMM yyyy HH:mm 'UTC'", CultureInfo.InvariantCulture);

    public static string RegionName(BenchmarkSnapshot s, string code) => s.Regions.GetValueOrDefault(code, code);

    public static string Sensitivity(DisclosureView view) => view == DisclosureView.Unsuppressed
        ? "OFFICIAL-SENSITIVE: this workbook contains unsuppressed small numbers. For Foundations analysts only; do not share or publish."
        : "OFFICIAL: small numbers are suppressed (shown as c). Suitable for sharing.";

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
            ? string.Create(CultureInfo.InvariantCulture, $"Counts from 1 to {s.Threshold} and figures computed from them are suppressed (c). Group statistics of counts that are themselves from 1 to {s.Threshold} are suppressed. For rates, minimum and maximum are taken over local authorities whose rate is not suppressed.")
            : "No figures are suppressed in this workbook. " + Sensitivity(view),
        "Items renamed between versions of the return are shown under their newest key (series key), so years line up.",
    ];
}
