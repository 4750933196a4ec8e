namespace FgcReturns.Core.Benchmarks;

/// <summary>One column of the funnel: an LA or an area, its counts at each step and the conversion rates between them.</summary>
public sealed record FunnelColumn(string Name, IReadOnlyList<Figure> Counts, IReadOnlyList<Figure> Rates);

/// <summary>
/// The FGC funnel of a year: families referred, offered, agreed, held and with a plan agreed, and the step-to-step
/// rates. Every figure is read from the benchmark build (counts as item totals, rates as the build's indicators
/// offer_rate, acceptance_rate, conversion_rate and plan_agreed_rate), so it is suppressed and audited like every
/// other figure; nothing is calculated here. A rate a year's definition lacks (offer_rate before 1.1) is x.
/// </summary>
public sealed record FgcFunnel(string Period, IReadOnlyList<FunnelColumn> Columns)
{
    public static readonly IReadOnlyList<string> StepNames = ["Families referred", "Offered an FGC", "Agreed to an FGC", "Initial FGC held", "Plan agreed"];

    public static readonly IReadOnlyList<string> RateNames = ["Referred to offered", "Offered to agreed", "Agreed to held", "Held to plan agreed"];

    /// <summary>The series keys of each step; the held count was fgcs_held before 1.1.</summary>
    private static readonly string[][] StepKeys = [["referrals_families"], ["families_offered"], ["families_accepted"], ["initial_fgcs_held", "fgcs_held"], ["plans_agreed"]];

    private static readonly string[] RateKeys = ["offer_rate", "acceptance_rate", "conversion_rate", "plan_agreed_rate"];

    /// <summary>An LA's funnel (its own figures in full) beside England, its region and its statistical neighbours (as published).</summary>
    public static FgcFunnel ForLa(BenchmarkSnapshot snapshot, int collectionId, SnapshotLa la)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(la);
        var own = new FunnelColumn(la.Name,
            StepKeys.Select(keys => Measure(snapshot, collectionId, keys) is { } m ? DisclosureControl.La(snapshot.LaValue(collectionId, la.Code, m.MeasureKey), DisclosureView.Unsuppressed) : Figure.NotAvailable).ToList(),
            RateKeys.Select(key => Measure(snapshot, collectionId, [key]) is { } m ? DisclosureControl.La(snapshot.LaValue(collectionId, la.Code, m.MeasureKey), DisclosureView.Unsuppressed) : Figure.NotAvailable).ToList());
        return new FgcFunnel(PeriodOf(snapshot, collectionId),
        [
            own,
            Area(snapshot, collectionId, "England", AreaLevel.National, "E92000001"),
            Area(snapshot, collectionId, snapshot.Regions.GetValueOrDefault(la.RegionCode, la.RegionCode), AreaLevel.Regional, la.RegionCode),
            Area(snapshot, collectionId, "Statistical neighbours", AreaLevel.Neighbours, la.Code),
        ]);
    }

    /// <summary>England's funnel and each region's, as published.</summary>
    public static FgcFunnel National(BenchmarkSnapshot snapshot, int collectionId)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var columns = new List<FunnelColumn> { Area(snapshot, collectionId, "England", AreaLevel.National, "E92000001") };
        columns.AddRange(snapshot.Regions.OrderBy(r => r.Value, StringComparer.Ordinal)
            .Select(r => Area(snapshot, collectionId, r.Value, AreaLevel.Regional, r.Key)));
        return new FgcFunnel(PeriodOf(snapshot, collectionId), columns);
    }

    private static FunnelColumn Area(BenchmarkSnapshot snapshot, int collectionId, string name, AreaLevel level, string code) => new(name,
        StepKeys.Select(keys => Measure(snapshot, collectionId, keys) is { } m
            ? DisclosureControl.Area(snapshot.AreaValue(collectionId, m.MeasureKey, level, code), m.Kind, DisclosureControl.Statistic.Total, snapshot.Threshold, DisclosureView.Suppressed)
            : Figure.NotAvailable).ToList(),
        RateKeys.Select(key => Measure(snapshot, collectionId, [key]) is { } m
            ? DisclosureControl.Area(snapshot.AreaValue(collectionId, m.MeasureKey, level, code), MeasureKind.Indicator, DisclosureControl.Statistic.Rate, snapshot.Threshold, DisclosureView.Suppressed)
            : Figure.NotAvailable).ToList());

    private static BenchmarkMeasure? Measure(BenchmarkSnapshot snapshot, int collectionId, string[] keys) =>
        snapshot.MeasuresOf(collectionId).FirstOrDefault(m => keys.Contains(m.SeriesKey) || keys.Contains(m.MeasureKey));

    private static string PeriodOf(BenchmarkSnapshot snapshot, int collectionId) =>
        snapshot.Collections.FirstOrDefault(c => c.Id == collectionId)?.Period ?? "";
}
