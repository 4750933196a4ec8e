using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Exports;

/// <summary>
/// Open data in the DfE Explore Education Statistics (EES) tidy format: a data CSV and its metadata CSV. One row per
/// time period x geography x filter combination. The standard time and geography columns come first, then two filters,
/// <c>breakdown_topic</c> and <c>breakdown</c> (grouped by the topic): a grid's rows (referrals by stage, children by
/// age, sex and ethnicity, families not proceeding by reason) are breakdown rows of the item the grid adds up to (or of
/// a column named after the grid when it adds up to no item), and every other figure is on the Total / Total row.
/// Indicator columns keep one meaning: an LA's value, an area's total (counts) or its rate from summed numerators and
/// denominators (indicators); the median of LAs for a decimal item is in its own <c>_median_of_las</c> column.
/// Always suppressed: this is for public release. GSS symbols: c (confidential), x (not available), z (not applicable).
/// </summary>
public static class OpenDataCsv
{
    public const string TimeIdentifier = "Financial year";
    public const string Total = "Total";
    public const string MedianSuffix = "_median_of_las";

    public static readonly IReadOnlyList<string> TimeAndGeography =
        ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code", "region_name", "new_la_code", "old_la_code", "la_name"];

    public static readonly IReadOnlyList<string> Filters = ["breakdown_topic", "breakdown"];

    /// <summary>Each grid's question key and the item it adds up to (total_of), from the definitions; none is fine (grids get their own column).</summary>
    public static IReadOnlyDictionary<string, string> GridTotals(IEnumerable<SurveyDefinition> definitions) =>
        definitions.SelectMany(d => d.Questions).Where(q => q.Grid?.TotalOf is not null)
            .GroupBy(q => q.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Grid!.TotalOf!, StringComparer.Ordinal);

    public static void WriteData(BenchmarkSnapshot s, TextWriter writer, IReadOnlyDictionary<string, string>? gridTotals = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var layout = Layout.Of(s, gridTotals ?? new Dictionary<string, string>());
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var h in TimeAndGeography.Concat(Filters).Concat(layout.Indicators.Select(i => i.Name)))
        {
            csv.WriteField(h);
        }

        csv.NextRecord();
        const DisclosureView view = DisclosureView.Suppressed;
        foreach (var col in s.Collections)
        {
            var measures = s.MeasuresOf(col.Id).ToDictionary(m => m.SeriesKey);
            void Rows(string level, string regionCode, string regionName, string newLa, string oldLa, string laName, bool isArea,
                Func<BenchmarkMeasure, DisclosureControl.Statistic, Figure> figure)
            {
                foreach (var (topic, breakdown) in layout.FilterRows)
                {
                    foreach (var f in (string[])[col.TimePeriod, TimeIdentifier, level, BenchmarkFigures.EnglandCode, "England", regionCode, regionName, newLa, oldLa, laName, topic, breakdown])
                    {
                        csv.WriteField(SpreadsheetSafety.Neutralise(f));
                    }

                    foreach (var indicator in layout.Indicators)
                    {
                        csv.WriteField(Cell(indicator, topic, breakdown, isArea, measures, figure));
                    }

                    csv.NextRecord();
                }
            }

            Figure Area(BenchmarkMeasure m, DisclosureControl.Statistic statistic, AreaLevel level, string code) =>
                DisclosureControl.Area(s.AreaValue(col.Id, m.MeasureKey, level, code), m.Kind, statistic, s.Threshold, view);

            Rows("National", "", "", "", "", "", true, (m, st) => Area(m, st, AreaLevel.National, BenchmarkFigures.EnglandCode));
            foreach (var (code, name) in s.Regions.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                Rows("Regional", code, name, "", "", "", true, (m, st) => Area(m, st, AreaLevel.Regional, code));
            }

            if (col.Id != s.Collection.Id && !s.LaValues.Any(v => v.CollectionId == col.Id))
            {
                continue; // LA rows are written for the collections whose LA values were loaded.
            }

            foreach (var la in s.LocalAuthorities.OrderBy(l => l.RegionCode, StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal))
            {
                Rows("Local authority", la.RegionCode, BenchmarkFigures.RegionName(s, la.RegionCode), la.OnsCode, la.Code, la.Name, false,
                    (m, _) => DisclosureControl.La(s.LaValue(col.Id, la.Code, m.MeasureKey), view));
            }
        }
    }

    private static string Cell(Indicator indicator, string topic, string breakdown, bool isArea,
        Dictionary<string, BenchmarkMeasure> measures, Func<BenchmarkMeasure, DisclosureControl.Statistic, Figure> figure)
    {
        if (!indicator.Cells.TryGetValue((topic, breakdown), out var seriesKey))
        {
            return Gss.NotApplicable; // this indicator has no figure for this breakdown
        }

        if (!measures.TryGetValue(seriesKey, out var m))
        {
            return Gss.NotAvailable; // not collected in this year's version of the return
        }

        if (m.Kind == MeasureKind.Decimal)
        {
            // An LA's own figure and the median of LAs are different things: each has its own column.
            return isArea == indicator.IsMedian
                ? figure(m, DisclosureControl.Statistic.Median).Plain(indicator.Decimals)
                : Gss.NotApplicable;
        }

        return figure(m, BenchmarkFigures.Headline(m.Kind)).Plain(indicator.Decimals);
    }

    public static void WriteMetadata(BenchmarkSnapshot s, TextWriter writer, IReadOnlyDictionary<string, string>? gridTotals = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var layout = Layout.Of(s, gridTotals ?? new Dictionary<string, string>());
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var h in (string[])["col_name", "col_type", "label", "indicator_grouping", "indicator_unit", "indicator_dp", "filter_hint", "filter_grouping_column"])
        {
            csv.WriteField(h);
        }

        csv.NextRecord();
        foreach (var f in (string[][])[
            ["breakdown_topic", "Filter", "Breakdown", "", "", "", "What the figures are broken down by", ""],
            ["breakdown", "Filter", "Group", "", "", "", "The group within the breakdown", "breakdown_topic"]])
        {
            foreach (var field in f)
            {
                csv.WriteField(field);
            }

            csv.NextRecord();
        }

        foreach (var i in layout.Indicators)
        {
            foreach (var f in (string[])[i.Name, "Indicator", SpreadsheetSafety.Neutralise(i.Label), SpreadsheetSafety.Neutralise(i.Grouping),
                i.Unit, i.Decimals.ToString(CultureInfo.InvariantCulture), "", ""])
            {
                csv.WriteField(f);
            }

            csv.NextRecord();
        }
    }

    /// <summary>An indicator column and, per filter combination, the measure (series key) whose figure it holds.</summary>
    private sealed record Indicator(string Name, string Label, string Grouping, string Unit, int Decimals, bool IsMedian)
    {
        public Dictionary<(string Topic, string Breakdown), string> Cells { get; } = [];
    }

    private sealed record Layout(List<Indicator> Indicators, List<(string Topic, string Breakdown)> FilterRows)
    {
        /// <summary>Every series key, in the order of the newest collection's definition, then older-only items.</summary>
        public static Layout Of(BenchmarkSnapshot s, IReadOnlyDictionary<string, string> gridTotals)
        {
            var all = s.Collections.Reverse().SelectMany(c => s.MeasuresOf(c.Id)).DistinctBy(m => m.SeriesKey).ToList();
            var indicators = new Dictionary<string, Indicator>(StringComparer.Ordinal);
            var filterRows = new List<(string, string)> { (Total, Total) };
            Indicator Column(string name, Func<Indicator> create)
            {
                if (!indicators.TryGetValue(name, out var i))
                {
                    indicators[name] = i = create();
                }

                return i;
            }

            foreach (var m in all)
            {
                var dot = m.SeriesKey.IndexOf('.', StringComparison.Ordinal);
                if (dot < 0)
                {
                    var decimals = DisclosureControl.Decimals(m.Kind);
                    Column(m.SeriesKey, () => new Indicator(m.SeriesKey, Label(m), m.Section ?? "", Unit(m), decimals, false)).Cells[(Total, Total)] = m.SeriesKey;
                    if (m.Kind == MeasureKind.Decimal)
                    {
                        var name = m.SeriesKey + MedianSuffix;
                        Column(name, () => new Indicator(name, Shorten(m.Label, " (median of LAs)"), m.Section ?? "", Unit(m),
                            DisclosureControl.Decimals(m.Kind, DisclosureControl.Statistic.Median), true)).Cells[(Total, Total)] = m.SeriesKey;
                    }

                    continue;
                }

                // A grid cell: a breakdown row of the item the grid adds up to, or of the grid's own column.
                var grid = m.SeriesKey[..dot];
                var split = m.Label.IndexOf(": ", StringComparison.Ordinal);
                var topic = split > 0 ? m.Label[..split] : grid;
                var breakdown = split > 0 ? m.Label[(split + 2)..] : m.SeriesKey[(dot + 1)..];
                var target = gridTotals.TryGetValue(grid, out var totalKey) && all.Any(x => x.SeriesKey == totalKey) ? totalKey : grid;
                var column = Column(target, () => new Indicator(target, Shorten(topic, ""), m.Section ?? "", Unit(m), 0, false));
                column.Cells[(topic, breakdown)] = m.SeriesKey;
                if (!filterRows.Contains((topic, breakdown)))
                {
                    filterRows.Add((topic, breakdown));
                }
            }

            return new Layout([.. indicators.Values], filterRows);
        }

        private static string Label(BenchmarkMeasure m) =>
            m.Kind == MeasureKind.Indicator && m.Unit is { } unit ? Shorten(m.Label, " (" + unit + ")") : Shorten(m.Label, "");

        /// <summary>EES units: "%" for percentages, otherwise none (the label says what is counted).</summary>
        private static string Unit(BenchmarkMeasure m) => m.Kind == MeasureKind.Indicator && (m.Unit ?? "").StartsWith('%') ? "%" : "";

        /// <summary>EES labels are at most 80 characters: the label is cut (marked …) so that the suffix, which tells columns apart, stays.</summary>
        private static string Shorten(string label, string suffix) =>
            label.Length + suffix.Length <= MaxLabel ? label + suffix : label[..(MaxLabel - suffix.Length - 1)].TrimEnd() + "…" + suffix;
    }

    public const int MaxLabel = 80;
}
