using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;
using static FgcReturns.Core.Benchmarks.DisclosureControl;

namespace FgcReturns.Core.Exports;

/// <summary>
/// One LA's benchmark workbook: its own figures (unsuppressed: they are its own) beside England, its region and its
/// statistical neighbours (suppressed), with its rank and quartile band; its neighbours' indicators; and its series.
/// </summary>
public static class LaBenchmarkWorkbook
{
    /// <param name="publishedOn">The publication date the analysts set for the year; none: the cover says not yet published.</param>
    public static XLWorkbook Create(BenchmarkSnapshot s, string laCode, string contact, string publisher, DateOnly? publishedOn = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var la = s.La(laCode) ?? throw new ArgumentException($"Unknown LA {laCode}.", nameof(laCode));
        var c = s.Collection;
        var region = BenchmarkFigures.RegionName(s, la.RegionCode);
        var measures = s.MeasuresOf(c.Id).ToList();
        var cover = new List<GafWorkbook.CoverLine>
        {
            new("About these tables", $"{la.Name}'s family group conference (FGC) figures for {c.Period} beside England, {region} and its statistical neighbours, with its rank among local authorities and earlier years."),
            new("Reporting period", $"{c.Period} (1 April {c.PeriodStart.Year.ToString(CultureInfo.InvariantCulture)} to 31 March {(c.PeriodStart.Year + 1).ToString(CultureInfo.InvariantCulture)})."),
            new("Status", BenchmarkFigures.Status(s)),
            new("Source", publisher),
            new("Built", BenchmarkFigures.BuiltAt(s)),
            BenchmarkFigures.PublicationLine(publishedOn),
            new("Security marking", $"OFFICIAL: {la.Name}'s own figures are shown in full; other local authorities' figures are suppressed where small ([c])."),
            new("Symbols", "[c] = confidential (suppressed), [x] = not available, [z] = not applicable. The Notes sheet explains each."),
            new("Contact", contact),
        };
        const DisclosureView others = DisclosureView.Suppressed;
        var comparison = new TableSheet("Comparison", "comparison", $"Table 1: {la.Name} compared, {c.Period} {BenchmarkFigures.NoteRefs(1, 2, 4, 5, 6, 7, 8)}",
            "This worksheet contains one table: one row per data item and indicator. Counts compare with area totals and medians; indicators with area rates. Some cells contain symbols (see Notes).",
            [new("Key", 28), new("Data item or indicator", 50), new("Unit", 18), new($"{la.Name}", 14, "#,##0.0"),
                new("Rank among LAs reporting (1 = highest, or lowest when lower is better)", 14, "#,##0"), new("Number of LAs ranked", 12, "#,##0"),
                new("Quartile band (1 = top quarter)", 12, "#,##0"),
                new("England total or rate", 14, "#,##0.0"), new("England median of LAs", 14, "#,##0.0"),
                new($"{region} total or rate", 14, "#,##0.0"), new($"{region} median of LAs", 14, "#,##0.0"),
                new("Statistical neighbours total or rate", 14, "#,##0.0"), new("Statistical neighbours mean", 14, "#,##0.0"),
                new("Statistical neighbours minimum", 14, "#,##0.0"), new("Statistical neighbours maximum", 14, "#,##0.0")],
            measures.Select(m =>
            {
                var own = s.LaValue(c.Id, la.Code, m.MeasureKey);
                var england = s.AreaValue(c.Id, m.MeasureKey, AreaLevel.National, BenchmarkFigures.EnglandCode);
                var reg = s.AreaValue(c.Id, m.MeasureKey, AreaLevel.Regional, la.RegionCode);
                var sn = s.AreaValue(c.Id, m.MeasureKey, AreaLevel.Neighbours, la.Code);
                var headline = m.Kind == MeasureKind.Indicator ? Statistic.Rate : m.Kind == MeasureKind.Count ? Statistic.Total : Statistic.Median;
                var ranked = DisclosureControl.ShowsRank(own, DisclosureView.Unsuppressed);
                FormattedFigure Shown(BenchmarkAreaValue? area, Statistic statistic) =>
                    new(Area(area, m.Kind, statistic, s.Threshold, others), BenchmarkFigures.NumberFormat(m.Kind, statistic));
                return (object?[])
                [
                    m.MeasureKey, m.Label, BenchmarkFigures.UnitText(m), new FormattedFigure(La(own, DisclosureView.Unsuppressed), BenchmarkFigures.NumberFormat(m.Kind)),
                    ranked ? own!.Rank : Figure.NotAvailable, ranked ? own!.RankOf : Figure.NotAvailable, ranked ? own!.Quartile : Figure.NotAvailable,
                    Shown(england, headline), Shown(england, Statistic.Median),
                    Shown(reg, headline), Shown(reg, Statistic.Median),
                    Shown(sn, headline), Shown(sn, Statistic.Mean),
                    Shown(sn, Statistic.Min), Shown(sn, Statistic.Max),
                ];
            }));
        var funnel = Funnel(s, la, region);
        var indicators = measures.Where(m => m.Kind == MeasureKind.Indicator).ToList();
        var group = new[] { la.Code }.Concat(la.Neighbours).Select(code => s.La(code)).OfType<SnapshotLa>().ToList();
        var neighbours = new TableSheet("Neighbours", "neighbours", $"Table 3: {la.Name} and its statistical neighbours, {c.Period} {BenchmarkFigures.NoteRefs(6, 7)}",
            "This worksheet contains one table: one row per local authority (the first is " + la.Name + ", then its neighbours from closest), one column per indicator. Some cells contain symbols (see Notes).",
            [new("Old LA code", 9), new("New LA code", 12), new("Local authority", 28), .. indicators.Select(m => new TableColumn(BenchmarkFigures.HeaderWithUnitAndKey(m), 16, "#,##0.0"))],
            group.Select(g => (object?[])[g.Code, g.OnsCode, g.Name,
                .. indicators.Select(m => (object?)La(s.LaValue(c.Id, g.Code, m.MeasureKey), g.Code == la.Code ? DisclosureView.Unsuppressed : others))]));
        var seriesRows = new List<object?[]>();
        foreach (var col in s.Collections)
        {
            foreach (var m in s.MeasuresOf(col.Id).Where(m => m.Kind == MeasureKind.Indicator || m.Kind == MeasureKind.Count))
            {
                var headline = m.Kind == MeasureKind.Indicator ? Statistic.Rate : Statistic.Median;
                var areaFormat = BenchmarkFigures.NumberFormat(m.Kind, headline);
                seriesRows.Add(
                [
                    m.SeriesKey, col.Period, m.Label, BenchmarkFigures.UnitText(m),
                    new FormattedFigure(La(s.LaValue(col.Id, la.Code, m.MeasureKey), DisclosureView.Unsuppressed), BenchmarkFigures.NumberFormat(m.Kind)),
                    new FormattedFigure(Area(s.AreaValue(col.Id, m.MeasureKey, AreaLevel.National, BenchmarkFigures.EnglandCode), m.Kind, headline, s.Threshold, others), areaFormat),
                    new FormattedFigure(Area(s.AreaValue(col.Id, m.MeasureKey, AreaLevel.Regional, la.RegionCode), m.Kind, headline, s.Threshold, others), areaFormat),
                    new FormattedFigure(Area(s.AreaValue(col.Id, m.MeasureKey, AreaLevel.Neighbours, la.Code), m.Kind, headline, s.Threshold, others), areaFormat),
                ]);
            }
        }

        var series = new TableSheet("Year_on_year", "year_on_year", $"Table 4: {la.Name} year on year {BenchmarkFigures.NoteRefs(7, 8, 9)}",
            "This worksheet contains one table: one row per item or indicator and year. Areas show the rate for indicators and the median of local authorities for counts.",
            [new("Series key", 28), new("Reporting year", 10), new("Data item or indicator", 50), new("Unit", 18), new(la.Name, 14, "#,##0.0"),
                new("England: rate for indicators, median of LAs for counts", 14, "#,##0.0"),
                new($"{region}: rate for indicators, median of LAs for counts", 14, "#,##0.0"),
                new("Statistical neighbours: rate for indicators, median of LAs for counts", 14, "#,##0.0")],
            seriesRows);
        return GafWorkbook.Create($"Family group conferences: {la.Name} benchmarks, {c.Period}", cover,
            BenchmarkFigures.Notes(s, DisclosureView.Suppressed), [comparison, funnel, neighbours, series]);
    }

    /// <summary>
    /// The LA's FGC funnel (issue 14) beside England, its region and its neighbours: counts at each step and the
    /// step-to-step rates, exactly as the build publishes them (<see cref="FgcFunnel"/> reads the build's totals and
    /// its indicators offer_rate, acceptance_rate, conversion_rate and plan_agreed_rate; areas suppressed as for any
    /// other LA, the LA's own figures in full).
    /// </summary>
    private static TableSheet Funnel(BenchmarkSnapshot s, SnapshotLa la, string region)
    {
        var funnel = FgcFunnel.ForLa(s, s.Collection.Id, la);
        var rows = new List<object?[]>();
        for (var i = 0; i < FgcFunnel.StepNames.Count; i++)
        {
            rows.Add([FgcFunnel.StepNames[i], "Number of families (areas: total of LAs)", .. funnel.Columns.Select(column => new FormattedFigure(column.Counts[i], "#,##0"))]);
        }

        for (var i = 0; i < FgcFunnel.RateNames.Count; i++)
        {
            rows.Add([FgcFunnel.RateNames[i], "Rate (% of the step before; areas from summed counts)", .. funnel.Columns.Select(column => new FormattedFigure(column.Rates[i], "#,##0.0"))]);
        }

        return new TableSheet("Funnel", "fgc_funnel", $"Table 2: {la.Name}'s FGC funnel compared, {s.Collection.Period} {BenchmarkFigures.NoteRefs(1, 2, 6, 7)}",
            "This worksheet contains one table: families at each step from referral to a plan agreed, then the rate from each step to the next. Some cells contain symbols (see Notes).",
            [new("Step", 26), new("Figure", 30), new(la.Name, 14), new("England", 14), new(region, 14), new("Statistical neighbours", 14)],
            rows);
    }
}
