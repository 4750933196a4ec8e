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
/// a column named after the grid when it adds up to no item), and so are the items of a sum rule (the living-arrangement
/// outcomes are breakdown rows of children whose family had an FGC); every other figure is on the Total / Total row.
/// Indicator columns keep one meaning: an LA's value, an area's total (counts) or its rate from summed numerators and
/// denominators (indicators); the median and quartiles of LAs' rates (and of decimal items) are in their own
/// <c>_la_median</c>, <c>_la_lower_quartile</c> and <c>_la_upper_quartile</c> columns, on area rows only.
/// Always suppressed: this is for public release. GSS symbols: c (confidential), x (not available), z (not applicable).
/// </summary>
public static class OpenDataCsv
{
    public const string TimeIdentifier = "Financial year";
    public const string Total = "Total";

    /// <summary>Order statistics of LAs' figures, each in its own column: suffix, label ending and statistic.</summary>
    public static readonly IReadOnlyList<(string Suffix, string Label, DisclosureControl.Statistic Statistic)> LaStatistics =
    [
        ("_la_median", " (median of LAs)", DisclosureControl.Statistic.Median),
        ("_la_lower_quartile", " (lower quartile of LAs)", DisclosureControl.Statistic.LowerQuartile),
        ("_la_upper_quartile", " (upper quartile of LAs)", DisclosureControl.Statistic.UpperQuartile),
    ];

    public static readonly IReadOnlyList<string> TimeAndGeography =
        ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code", "region_name", "new_la_code", "old_la_code", "la_name"];

    public static readonly IReadOnlyList<string> Filters = ["breakdown_topic", "breakdown"];

    public static void WriteData(BenchmarkSnapshot s, TextWriter writer, OpenDataBreakdowns? breakdowns = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var layout = Layout.Of(s, breakdowns ?? OpenDataBreakdowns.None);
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

        if (indicator.LaStatistic is { } statistic)
        {
            // An order statistic of LAs' figures describes an area: not applicable to an LA's own row.
            return isArea ? figure(m, statistic).Plain(indicator.Decimals) : Gss.NotApplicable;
        }

        if (m.Kind == MeasureKind.Decimal && isArea)
        {
            return Gss.NotApplicable; // decimals are not added up: an area has only their median and quartiles
        }

        return figure(m, BenchmarkFigures.Headline(m.Kind)).Plain(indicator.Decimals);
    }

    public static void WriteMetadata(BenchmarkSnapshot s, TextWriter writer, OpenDataBreakdowns? breakdowns = null)
    {
        ArgumentNullException.ThrowIfNull(s);
        var layout = Layout.Of(s, breakdowns ?? OpenDataBreakdowns.None);
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
    private sealed record Indicator(string Name, string Label, string Grouping, string Unit, int Decimals, DisclosureControl.Statistic? LaStatistic = null)
    {
        public Dictionary<(string Topic, string Breakdown), string> Cells { get; } = [];
    }

    private sealed record Layout(List<Indicator> Indicators, List<(string Topic, string Breakdown)> FilterRows)
    {
        /// <summary>Every series key, in the order of the newest collection's definition, then older-only items.</summary>
        public static Layout Of(BenchmarkSnapshot s, OpenDataBreakdowns breakdowns)
        {
            var all = s.Collections.Reverse().SelectMany(c => s.MeasuresOf(c.Id)).DistinctBy(m => m.SeriesKey).ToList();
            var bySeries = all.ToDictionary(m => m.SeriesKey, StringComparer.Ordinal);
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

            Indicator ItemColumn(BenchmarkMeasure m) =>
                Column(m.SeriesKey, () => new Indicator(m.SeriesKey, Label(m), m.Section ?? "", Unit(m), DisclosureControl.Decimals(m.Kind)));

            void Breakdown(Indicator column, string topic, string breakdown, string seriesKey)
            {
                column.Cells[(topic, breakdown)] = seriesKey;
                if (!filterRows.Contains((topic, breakdown)))
                {
                    filterRows.Add((topic, breakdown));
                }
            }

            foreach (var m in all)
            {
                var dot = m.SeriesKey.IndexOf('.', StringComparison.Ordinal);
                if (dot < 0 && breakdowns.TermTotals.TryGetValue(m.SeriesKey, out var sumTotal) && bySeries.TryGetValue(sumTotal, out var sumMeasure)
                    && m.Kind == MeasureKind.Count && sumMeasure.Kind == MeasureKind.Count)
                {
                    // A part of a sum rule (an outcome): a breakdown row of the item the parts add up to.
                    Breakdown(ItemColumn(sumMeasure), m.Section ?? sumMeasure.Label, m.Label, m.SeriesKey);
                    continue;
                }

                if (dot < 0)
                {
                    ItemColumn(m).Cells[(Total, Total)] = m.SeriesKey;
                    if (m.Kind is MeasureKind.Decimal or MeasureKind.Indicator)
                    {
                        foreach (var (suffix, ending, statistic) in LaStatistics)
                        {
                            var name = m.SeriesKey + suffix;
                            Column(name, () => new Indicator(name, Shorten(Label(m), ending), m.Section ?? "", Unit(m),
                                DisclosureControl.Decimals(m.Kind, statistic), statistic)).Cells[(Total, Total)] = m.SeriesKey;
                        }
                    }

                    continue;
                }

                // A grid cell: a breakdown row of the item the grid adds up to, or of the grid's own column.
                var grid = m.SeriesKey[..dot];
                var split = m.Label.IndexOf(": ", StringComparison.Ordinal);
                var topic = split > 0 ? m.Label[..split] : grid;
                var breakdown = split > 0 ? m.Label[(split + 2)..] : m.SeriesKey[(dot + 1)..];
                var column = breakdowns.GridTotals.TryGetValue(grid, out var totalKey) && bySeries.TryGetValue(totalKey, out var totalMeasure)
                    ? ItemColumn(totalMeasure)
                    : Column(grid, () => new Indicator(grid, Shorten(topic, ""), m.Section ?? "", Unit(m), 0));
                Breakdown(column, topic, breakdown, m.SeriesKey);
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

/// <summary>
/// What a reader of the survey definitions knows adds up, so that the parts are published as breakdown rows of the whole:
/// each grid to the item it totals (<c>total_of</c>), and each part of a sum rule (<c>a + b + c = total</c>) to its total.
/// </summary>
public sealed record OpenDataBreakdowns(IReadOnlyDictionary<string, string> GridTotals, IReadOnlyDictionary<string, string> TermTotals)
{
    public static readonly OpenDataBreakdowns None = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    public static OpenDataBreakdowns From(IEnumerable<SurveyDefinition> definitions)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var list = definitions.ToList();
        var grids = list.SelectMany(d => d.Questions).Where(q => q.Grid?.TotalOf is not null)
            .GroupBy(q => q.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last().Grid!.TotalOf!, StringComparer.Ordinal);

        // A part in two different sums would belong to two wholes: it stays a column of its own.
        var terms = list.SelectMany(BenchmarkDisclosure.SumRules)
            .SelectMany(r => r.Terms.Select(t => (Term: t, r.Total)))
            .Distinct()
            .GroupBy(t => t.Term, StringComparer.Ordinal)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Key, g => g.Single().Total, StringComparer.Ordinal);
        return new OpenDataBreakdowns(grids, terms);
    }
}
