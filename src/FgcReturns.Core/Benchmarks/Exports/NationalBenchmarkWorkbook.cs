using System.Globalization;
using ClosedXML.Excel;
using FgcReturns.Core.Benchmarks;
using static FgcReturns.Core.Benchmarks.DisclosureControl;

namespace FgcReturns.Core.Exports;

/// <summary>The national benchmark workbook: England, regions, every LA, completeness, dictionary and year-on-year series.</summary>
public static class NationalBenchmarkWorkbook
{
    private static readonly Statistic[] Statistics =
        [Statistic.Total, Statistic.Rate, Statistic.Mean, Statistic.Median, Statistic.LowerQuartile, Statistic.UpperQuartile, Statistic.Min, Statistic.Max];

    /// <param name="publishedOn">The publication date the analysts set for the year; none: the cover says not yet published.</param>
    public static XLWorkbook Create(BenchmarkSnapshot s, DisclosureView view, string contact, string publisher, DateOnly? publishedOn = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var c = s.Collection;
        var measures = s.MeasuresOf(c.Id).ToList();
        var title = $"Family group conferences: national benchmarks, {c.Period}";
        var cover = new List<GafWorkbook.CoverLine>
        {
            new("About these tables", $"Benchmarks of local authorities' family group conference (FGC) returns for the reporting year {c.Period} (1 April to 31 March), with England, regional and statistical-neighbour figures and earlier years."),
            new("Reporting period", $"{c.Period} ({c.PeriodStart.ToString("d MMMM yyyy", CultureInfo.InvariantCulture)} to 31 March {(c.PeriodStart.Year + 1).ToString(CultureInfo.InvariantCulture)}); survey definition version {c.DefinitionVersion}."),
            new("Status", BenchmarkFigures.Status(s)),
            new("Source", publisher),
            new("Built", $"{BenchmarkFigures.BuiltAt(s)} (benchmark build {s.Build.Id.ToString(CultureInfo.InvariantCulture)})."),
            BenchmarkFigures.PublicationLine(publishedOn),
            new("Security marking", BenchmarkFigures.Sensitivity(view)),
            new("Symbols", "[c] = confidential (suppressed), [x] = not available (not recorded, not answered or below the minimum coverage), [z] = not applicable. The Notes sheet explains each."),
            new("Contact", contact),
        };
        var tables = new List<TableSheet>
        {
            England(s, measures, view),
            Regions(s, measures, view),
            ByLa(s, measures, view),
            Completeness(s, measures),
            Dictionary(s, measures),
            Series(s, view),
        };
        return GafWorkbook.Create(title, cover, BenchmarkFigures.Notes(s, view), tables);
    }

    private static List<TableColumn> StatisticColumns() =>
    [
        new("Total (counts only)", 14, "#,##0"),
        new("Rate from summed numerators and denominators (indicators only, in the unit shown)", 18, "#,##0.0"),
        new("Mean of LAs", 12, "#,##0.0"),
        new("Median of LAs", 12, "#,##0.0"),
        new("Lower quartile", 12, "#,##0.0"),
        new("Upper quartile", 12, "#,##0.0"),
        new("Minimum", 12, "#,##0.0"),
        new("Maximum", 12, "#,##0.0"),
        new("Number of LAs reporting", 12, "#,##0"),
        new("Number of LAs not recorded", 12, "#,##0"),
    ];

    private static object?[] StatisticCells(BenchmarkSnapshot s, BenchmarkMeasure m, BenchmarkAreaValue? a, DisclosureView view)
    {
        var cells = new List<object?>();
        foreach (var statistic in Statistics)
        {
            var applies = statistic switch
            {
                Statistic.Total => m.Kind == MeasureKind.Count,
                Statistic.Rate => m.Kind == MeasureKind.Indicator,
                _ => true,
            };
            cells.Add(applies
                ? new FormattedFigure(Area(a, m.Kind, statistic, s.Threshold, view), BenchmarkFigures.NumberFormat(m.Kind, statistic))
                : Figure.NotApplicable);
        }

        cells.Add(a?.ReportingCount ?? 0);
        cells.Add(a?.NotRecordedCount ?? 0);
        return [.. cells];
    }

    private static TableSheet England(BenchmarkSnapshot s, List<BenchmarkMeasure> measures, DisclosureView view) => new(
        "England", "england_summary", $"Table 1: England summary, {s.Collection.Period} {BenchmarkFigures.NoteRefs(1, 2, 3, 4, 7, 8)}",
        "This worksheet contains one table: one row per data item and indicator. Some cells contain symbols (see Notes).",
        [new("Section", 20), new("Key", 28), new("Data item or indicator", 50), new("Unit", 18), new("Kind", 10), .. StatisticColumns()],
        measures.Select(m => (object?[])[m.Section, m.MeasureKey, m.Label, BenchmarkFigures.UnitText(m), m.Kind.ToString(),
            .. StatisticCells(s, m, s.AreaValue(s.Collection.Id, m.MeasureKey, AreaLevel.National, BenchmarkFigures.EnglandCode), view)]));

    private static TableSheet Regions(BenchmarkSnapshot s, List<BenchmarkMeasure> measures, DisclosureView view) => new(
        "Regions", "by_region", $"Table 2: by region, {s.Collection.Period} {BenchmarkFigures.NoteRefs(1, 2, 3, 4, 7, 8)}",
        "This worksheet contains one table: one row per region and data item or indicator. Some cells contain symbols (see Notes).",
        [new("Region code", 12), new("Region name", 24), new("Key", 28), new("Data item or indicator", 50), new("Unit", 18), .. StatisticColumns()],
        s.Regions.OrderBy(r => r.Key, StringComparer.Ordinal).SelectMany(r => measures.Select(m => (object?[])[r.Key, r.Value, m.MeasureKey, m.Label, BenchmarkFigures.UnitText(m),
            .. StatisticCells(s, m, s.AreaValue(s.Collection.Id, m.MeasureKey, AreaLevel.Regional, r.Key), view)])));

    private static TableSheet ByLa(BenchmarkSnapshot s, List<BenchmarkMeasure> measures, DisclosureView view)
    {
        var statuses = s.Returns.Where(r => r.CollectionId == s.Collection.Id).ToDictionary(r => r.LaCode, r => r.Status);
        return new TableSheet(
            "Local_authorities", "by_la", $"Table 3: by local authority, {s.Collection.Period} {BenchmarkFigures.NoteRefs(1, 3, 7)}",
            "This worksheet contains one table: one row per local authority, one column per data item and indicator (each header gives the unit and the item key). Some cells contain symbols (see Notes).",
            [new("Old LA code", 9), new("New LA code", 12), new("Local authority", 28), new("Region code", 12), new("Region name", 22), new("Return status", 14),
                .. measures.Select(m => new TableColumn(BenchmarkFigures.HeaderWithUnitAndKey(m), 16, BenchmarkFigures.NumberFormat(m.Kind)))],
            s.LocalAuthorities.OrderBy(l => l.RegionCode, StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal).Select(la => (object?[])
            [
                la.Code, la.OnsCode, la.Name, la.RegionCode, BenchmarkFigures.RegionName(s, la.RegionCode), BenchmarkFigures.StatusText(statuses.GetValueOrDefault(la.Code)),
                .. measures.Select(m => (object?)La(s.LaValue(s.Collection.Id, la.Code, m.MeasureKey), view)),
            ]));
    }

    private static TableSheet Completeness(BenchmarkSnapshot s, List<BenchmarkMeasure> measures)
    {
        var returns = s.Returns.Where(r => r.CollectionId == s.Collection.Id).ToDictionary(r => r.LaCode);
        var itemKeys = measures.Where(m => m.Kind != MeasureKind.Indicator).Select(m => m.MeasureKey).ToHashSet(StringComparer.Ordinal);
        var states = s.LaValues.Where(v => v.CollectionId == s.Collection.Id && itemKeys.Contains(v.MeasureKey))
            .GroupBy(v => v.LaCode)
            .ToDictionary(g => g.Key, g => (
                Reported: g.Count(v => v.State == ValueState.Value),
                NotRecorded: g.Count(v => v.State == ValueState.NotRecorded),
                NotAnswered: g.Count(v => v.State == ValueState.NotAnswered)));
        return new TableSheet(
            "Completeness", "la_completeness", $"Table 4: local authority completeness, {s.Collection.Period} {BenchmarkFigures.NoteRefs(1)}",
            "This worksheet contains one table: one row per local authority with the status of its return and how many numeric items it reported.",
            [new("Old LA code", 9), new("New LA code", 12), new("Local authority", 28), new("Region name", 22), new("Return status", 16),
                new("Submitted (UTC)", 18, "yyyy-mm-dd hh:mm"), new("Accepted (UTC)", 18, "yyyy-mm-dd hh:mm"), new("Included in these benchmarks", 14),
                new("Numeric items in the return (number)", 14, "#,##0"), new("Items reported (number)", 14, "#,##0"),
                new("Items not recorded (number)", 14, "#,##0"), new("Items not answered (number)", 14, "#,##0")],
            s.LocalAuthorities.OrderBy(l => l.Name, StringComparer.Ordinal).Select(la =>
            {
                var r = returns.GetValueOrDefault(la.Code);
                var included = states.TryGetValue(la.Code, out var st);
                return (object?[])
                [
                    la.Code, la.OnsCode, la.Name, BenchmarkFigures.RegionName(s, la.RegionCode), BenchmarkFigures.StatusText(r?.Status),
                    r?.SubmittedAt is { } submitted ? (object)submitted.UtcDateTime : Figure.NotApplicable,
                    r?.AcceptedAt is { } accepted ? (object)accepted.UtcDateTime : Figure.NotApplicable,
                    included ? "Yes" : "No", itemKeys.Count,
                    included ? st.Reported : Figure.NotApplicable,
                    included ? st.NotRecorded : Figure.NotApplicable,
                    included ? st.NotAnswered : Figure.NotApplicable,
                ];
            }));
    }

    private static TableSheet Dictionary(BenchmarkSnapshot s, List<BenchmarkMeasure> measures) => new(
        "Data_items", "data_items", $"Table 5: data items and indicators, {s.Collection.Period} {BenchmarkFigures.NoteRefs(2, 9)}",
        "This worksheet contains one table describing every data item and indicator in the other tables.",
        [new("Key", 28), new("Series key (newest version)", 28), new("Section", 22), new("Label", 60), new("Kind", 10), new("Unit", 22),
            new("Numerator", 24), new("Denominator", 24), new("Multiplier", 10, "#,##0"), new("Higher is", 10)],
        measures.Select(m => (object?[])[m.MeasureKey, m.SeriesKey, m.Section, m.Label, m.Kind.ToString(), BenchmarkFigures.UnitText(m),
            m.Numerator ?? (object)Figure.NotApplicable, m.Denominator ?? (object)Figure.NotApplicable, m.Multiplier is { } x ? (object)x : Figure.NotApplicable, m.HigherIs ?? (object)Figure.NotApplicable]));

    private static TableSheet Series(BenchmarkSnapshot s, DisclosureView view)
    {
        var latest = s.MeasuresOf(s.Collection.Id).ToList();
        var seriesKeys = latest.Select(m => m.SeriesKey)
            .Concat(s.Measures.Select(m => m.SeriesKey)).Distinct(StringComparer.Ordinal).ToList();
        var areas = new List<(AreaLevel Level, string Code, string Name)> { (AreaLevel.National, BenchmarkFigures.EnglandCode, "England") };
        areas.AddRange(s.Regions.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => (AreaLevel.Regional, r.Key, r.Value)));
        var collections = s.Collections;
        var bySeries = s.Measures.ToLookup(m => (m.SeriesKey, m.CollectionId));
        var rows = new List<object?[]>();
        foreach (var key in seriesKeys)
        {
            var labelMeasure = latest.FirstOrDefault(m => m.SeriesKey == key) ?? s.Measures.Where(m => m.SeriesKey == key).MaxBy(m => m.CollectionId)!;
            foreach (var (level, code, name) in areas)
            {
                var cells = new List<object?> { key, labelMeasure.Label, BenchmarkFigures.UnitText(labelMeasure), BenchmarkFigures.HeadlineName(labelMeasure.Kind), level.ToString(), code, name };
                foreach (var c in collections)
                {
                    var m = bySeries[(key, c.Id)].FirstOrDefault();
                    cells.Add(m is null
                        ? Figure.NotApplicable
                        : new FormattedFigure(
                            Area(s.AreaValue(c.Id, m.MeasureKey, level, code), m.Kind, BenchmarkFigures.Headline(m.Kind), s.Threshold, view),
                            BenchmarkFigures.NumberFormat(m.Kind, BenchmarkFigures.Headline(m.Kind))));
                }

                rows.Add([.. cells]);
            }
        }

        return new TableSheet(
            "Year_on_year", "year_on_year", "Table 6: year-on-year series for England and regions " + BenchmarkFigures.NoteRefs(4, 7, 8, 9),
            "This worksheet contains one table: one row per data item or indicator and area, one column per reporting year. Counts show the total, indicators the rate, decimals the median. [z] means the item was not collected that year.",
            [new("Series key", 28), new("Data item or indicator", 50), new("Unit", 18), new("Statistic", 22), new("Geographic level", 12), new("Area code", 12), new("Area name", 24),
                .. collections.Select(c => new TableColumn(c.Period, 11, "#,##0.0"))],
            rows);
    }
}
