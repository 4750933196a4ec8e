using System.Globalization;
using System.Text.RegularExpressions;
using CsvHelper;

namespace FgcReturns.TestSupport;

/// <summary>
/// The published rules of the EES data screener (dfe-analytical-services/eesyscreener and the DfE open data standards)
/// that apply to a file like ours, applied to a data CSV and its metadata CSV. Returns every failure found, in words.
/// Rules: the metadata columns in order; snake_case column names of at most 50 characters, no duplicates; the
/// compulsory time and geography columns; time_period of 6 digits for consecutive years with one time identifier;
/// geography columns filled for the row's level and left blank above it; every data column except time and geography
/// described once in the metadata as a Filter or an Indicator; labels filled, unique and at most 80 characters;
/// indicator_grouping, indicator_unit and indicator_dp only for indicators, dp a whole number 0 to 9, unit one EES
/// knows; filter_hint and filter_grouping_column only for filters, the grouping column itself a filter; every filter
/// with a Total; no blank filter or indicator cell, indicators numbers or the GSS symbols c, x, z, low (never the
/// legacy ~ or :); filter items at most 120 characters; no two rows for the same time, place and filter combination.
/// </summary>
public static partial class EesScreener
{
    public static readonly string[] MetadataColumns = ["col_name", "col_type", "label", "indicator_grouping", "indicator_unit", "indicator_dp", "filter_hint", "filter_grouping_column"];

    private static readonly string[] TimeGeography = ["time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code", "region_name", "new_la_code", "old_la_code", "la_name"];
    private static readonly string[] Symbols = ["c", "x", "z", "low"];
    private static readonly string[] LegacySymbols = ["~", ":"];
    private static readonly string[] Units = ["", "%", "£", "£m", "pp", "h", "dd/mm/yyyy", "string"];

    private static readonly Dictionary<string, string[]> LevelColumns = new(StringComparer.Ordinal)
    {
        ["National"] = ["country_code", "country_name"],
        ["Regional"] = ["country_code", "country_name", "region_code", "region_name"],
        ["Local authority"] = ["country_code", "country_name", "region_code", "region_name", "new_la_code", "old_la_code", "la_name"],
    };

    public static List<string> Check(string dataCsv, string metadataCsv)
    {
        var failures = new List<string>();
        var (dataHeader, data) = Read(dataCsv);
        var (metaHeader, meta) = Read(metadataCsv);
        if (!metaHeader.SequenceEqual(MetadataColumns))
        {
            failures.Add("metadata columns are not " + string.Join(",", MetadataColumns));
            return failures;
        }

        foreach (var name in dataHeader)
        {
            if (!SnakeCase().IsMatch(name))
            {
                failures.Add($"column name '{name}' is not lower-case letters, digits and underscores");
            }

            if (name.Length > 50)
            {
                failures.Add($"column name '{name}' is longer than 50 characters");
            }
        }

        failures.AddRange(dataHeader.GroupBy(h => h).Where(g => g.Count() > 1).Select(g => $"column '{g.Key}' appears more than once"));
        failures.AddRange(TimeGeography.Take(5).Where(c => !dataHeader.Contains(c)).Select(c => $"compulsory column '{c}' is missing"));

        // Metadata.
        var described = meta.GroupBy(m => m["col_name"]).ToList();
        failures.AddRange(described.Where(g => g.Count() > 1).Select(g => $"metadata describes '{g.Key}' more than once"));
        var filters = meta.Where(m => m["col_type"] == "Filter").Select(m => m["col_name"]).ToList();
        var indicators = meta.Where(m => m["col_type"] == "Indicator").Select(m => m["col_name"]).ToList();
        foreach (var m in meta)
        {
            var name = m["col_name"];
            if (m["col_type"] is not ("Filter" or "Indicator"))
            {
                failures.Add($"metadata col_type of '{name}' is '{m["col_type"]}', not Filter or Indicator");
            }

            if (!dataHeader.Contains(name))
            {
                failures.Add($"metadata describes '{name}', which is not a column of the data");
            }

            if (TimeGeography.Contains(name))
            {
                failures.Add($"metadata describes the time or geography column '{name}'");
            }

            if (string.IsNullOrWhiteSpace(m["label"]) || m["label"].Length > 80)
            {
                failures.Add($"label of '{name}' is blank or longer than 80 characters ({m["label"].Length})");
            }

            var isIndicator = m["col_type"] == "Indicator";
            if (!isIndicator && (m["indicator_grouping"] != "" || m["indicator_unit"] != "" || m["indicator_dp"] != ""))
            {
                failures.Add($"filter '{name}' has an indicator grouping, unit or dp");
            }

            if (isIndicator && (m["filter_hint"] != "" || m["filter_grouping_column"] != ""))
            {
                failures.Add($"indicator '{name}' has a filter hint or grouping column");
            }

            if (isIndicator && !Units.Contains(m["indicator_unit"]))
            {
                failures.Add($"indicator_unit of '{name}' is '{m["indicator_unit"]}', not a unit EES knows");
            }

            if (m["indicator_dp"] != "" && !(int.TryParse(m["indicator_dp"], NumberStyles.None, CultureInfo.InvariantCulture, out var dp) && dp <= 9))
            {
                failures.Add($"indicator_dp of '{name}' is '{m["indicator_dp"]}', not a whole number from 0 to 9");
            }

            if (m["filter_grouping_column"] is { Length: > 0 } group && (!filters.Contains(group) || group == name))
            {
                failures.Add($"filter_grouping_column of '{name}' is '{group}', which is not another filter");
            }
        }

        failures.AddRange(meta.GroupBy(m => m["label"]).Where(g => g.Count() > 1).Select(g => $"label '{g.Key}' is used more than once"));
        failures.AddRange(dataHeader.Where(h => !TimeGeography.Contains(h) && !described.Any(g => g.Key == h))
            .Select(h => $"column '{h}' is not described in the metadata"));

        // Data rows.
        var identifiers = data.Select(r => r.GetValueOrDefault("time_identifier", "")).Distinct().ToList();
        if (identifiers.Count != 1)
        {
            failures.Add("time_identifier is not one value across the file: " + string.Join(", ", identifiers));
        }

        var row = 1;
        foreach (var r in data)
        {
            row++;
            var period = r.GetValueOrDefault("time_period", "");
            if (!(period.Length == 6 && int.TryParse(period, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && (p / 100 + 1) % 100 == p % 100))
            {
                failures.Add($"row {row}: time_period '{period}' is not 6 digits for consecutive years");
            }

            var level = r.GetValueOrDefault("geographic_level", "");
            if (!LevelColumns.TryGetValue(level, out var required))
            {
                failures.Add($"row {row}: geographic_level '{level}' is not a level this file uses");
                continue;
            }

            failures.AddRange(required.Where(c => string.IsNullOrWhiteSpace(r.GetValueOrDefault(c))).Select(c => $"row {row}: {level} row without {c}"));
            failures.AddRange(TimeGeography.Skip(3).Where(c => !required.Contains(c) && !string.IsNullOrEmpty(r.GetValueOrDefault(c)))
                .Select(c => $"row {row}: {level} row has {c} filled in"));
            foreach (var f in filters.Where(r.ContainsKey))
            {
                if (string.IsNullOrWhiteSpace(r[f]) || r[f].Length > 120 || r[f] != r[f].Trim())
                {
                    failures.Add($"row {row}: filter '{f}' is blank, has spaces around it or is longer than 120 characters");
                }
            }

            foreach (var i in indicators.Where(r.ContainsKey))
            {
                var v = r[i];
                if (v == "" || LegacySymbols.Contains(v) || !(Symbols.Contains(v) || decimal.TryParse(v, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _)))
                {
                    failures.Add($"row {row}: indicator '{i}' is '{v}', not a number or c, x, z or low");
                }
            }
        }

        failures.AddRange(filters.Where(f => dataHeader.Contains(f) && !data.Any(r => r[f] == "Total")).Select(f => $"filter '{f}' has no Total"));
        var key = TimeGeography.Concat(filters).Where(dataHeader.Contains).ToList();
        failures.AddRange(data.GroupBy(r => string.Join("|", key.Select(k => r[k]))).Where(g => g.Count() > 1).Take(5)
            .Select(g => $"more than one row for {g.Key}"));
        return failures;
    }

    private static (List<string> Header, List<Dictionary<string, string>> Rows) Read(string text)
    {
        using var reader = new StringReader(text);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        csv.Read();
        csv.ReadHeader();
        var header = csv.HeaderRecord!.ToList();
        var rows = new List<Dictionary<string, string>>();
        while (csv.Read())
        {
            rows.Add(header.Select((h, i) => (h, v: csv.GetField(i) ?? "")).GroupBy(x => x.h).ToDictionary(g => g.Key, g => g.First().v, StringComparer.Ordinal));
        }

        return (header, rows);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]*$")]
    private static partial Regex SnakeCase();
}
