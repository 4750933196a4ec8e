using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using FgcReturns.Core.Benchmarks;

namespace FgcReturns.Core.Exports;

/// <summary>
/// Open data in the DfE Explore Education Statistics (EES) format: a tidy data CSV with standard time and geography
/// columns then one indicator column per data item and indicator (named by series key, so years line up), and its
/// metadata CSV. Always suppressed: this is for public release. National and regional rows give totals for counts,
/// rates from summed numerators and denominators for indicators, and the median of LAs for decimals.
/// </summary>
public static class OpenDataCsv
{
    public const string TimeIdentifier = "Financial year";

    public static void WriteData(BenchmarkSnapshot s, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(s);
        var columns = Columns(s);
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var h in (string[])["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code", "region_name", "old_la_code", "new_la_code", "la_name"])
        {
            csv.WriteField(h);
        }

        foreach (var c in columns)
        {
            csv.WriteField(c.SeriesKey);
        }

        csv.NextRecord();
        const DisclosureView view = DisclosureView.Suppressed;
        foreach (var col in s.Collections)
        {
            var measures = s.MeasuresOf(col.Id).ToDictionary(m => m.SeriesKey);
            void Row(string level, string regionCode, string regionName, string oldLa, string newLa, string laName, Func<BenchmarkMeasure, Figure> figure)
            {
                foreach (var f in (string[])[col.TimePeriod, TimeIdentifier, level, BenchmarkFigures.EnglandCode, "England", regionCode, regionName, oldLa, newLa, laName])
                {
                    csv.WriteField(SpreadsheetSafety.Neutralise(f));
                }

                foreach (var c in columns)
                {
                    csv.WriteField(measures.TryGetValue(c.SeriesKey, out var m) ? figure(m).Plain(c.Decimals) : Gss.NotApplicable);
                }

                csv.NextRecord();
            }

            Row("National", "", "", "", "", "", m => DisclosureControl.Area(
                s.AreaValue(col.Id, m.MeasureKey, AreaLevel.National, BenchmarkFigures.EnglandCode), m.Kind, BenchmarkFigures.Headline(m.Kind), s.Threshold, view));
            foreach (var (code, name) in s.Regions.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                Row("Regional", code, name, "", "", "", m => DisclosureControl.Area(
                    s.AreaValue(col.Id, m.MeasureKey, AreaLevel.Regional, code), m.Kind, BenchmarkFigures.Headline(m.Kind), s.Threshold, view));
            }

            if (col.Id != s.Collection.Id && !s.LaValues.Any(v => v.CollectionId == col.Id))
            {
                continue; // LA rows are written for the collections whose LA values were loaded.
            }

            foreach (var la in s.LocalAuthorities.OrderBy(l => l.RegionCode, StringComparer.Ordinal).ThenBy(l => l.Name, StringComparer.Ordinal))
            {
                Row("Local authority", la.RegionCode, BenchmarkFigures.RegionName(s, la.RegionCode), la.Code, la.OnsCode, la.Name,
                    m => DisclosureControl.La(s.LaValue(col.Id, la.Code, m.MeasureKey), view));
            }
        }
    }

    public static void WriteMetadata(BenchmarkSnapshot s, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(s);
        using var csv = new CsvWriter(writer, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\n" }, leaveOpen: true);
        foreach (var h in (string[])["col_name", "col_type", "label", "indicator_grouping", "indicator_unit", "indicator_dp", "filter_hint", "filter_grouping_column"])
        {
            csv.WriteField(h);
        }

        csv.NextRecord();
        foreach (var c in Columns(s))
        {
            var m = c.Measure;
            var label = m.Kind switch
            {
                MeasureKind.Indicator => $"{m.Label} ({m.Unit})",
                MeasureKind.Decimal => $"{m.Label} (median of local authorities for regions and England)",
                _ => m.Label,
            };
            foreach (var f in (string[])[c.SeriesKey, "Indicator", SpreadsheetSafety.Neutralise(label), SpreadsheetSafety.Neutralise(m.Section ?? ""),
                m.Kind == MeasureKind.Indicator && (m.Unit ?? "").StartsWith('%') ? "%" : "",
                c.Decimals.ToString(CultureInfo.InvariantCulture), "", ""])
            {
                csv.WriteField(f);
            }

            csv.NextRecord();
        }
    }

    private sealed record Column(string SeriesKey, BenchmarkMeasure Measure, int Decimals);

    /// <summary>Every series key, in the order of the newest collection's definition, then older-only items.</summary>
    private static List<Column> Columns(BenchmarkSnapshot s) =>
        s.Collections.Reverse().SelectMany(c => s.MeasuresOf(c.Id))
            .DistinctBy(m => m.SeriesKey)
            .Select(m => new Column(m.SeriesKey, m, DisclosureControl.Decimals(m.Kind, BenchmarkFigures.Headline(m.Kind) == DisclosureControl.Statistic.Median ? DisclosureControl.Statistic.Median : null)))
            .ToList();
}
