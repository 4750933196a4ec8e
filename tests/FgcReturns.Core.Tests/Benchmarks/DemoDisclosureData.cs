using System.Globalization;
using CsvHelper;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Demo;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Core.Tests.Benchmarks;

/// <summary>
/// A representative data set for disclosure control, in memory: the 153 real LAs with their regions and statistical
/// neighbours (the embedded reference data), each with the demo's synthetic return for one year, and the LA values and
/// area aggregates as the build's SQL computes them (small counts 1 to the threshold; indicators from their
/// numerator and denominator; England, region and neighbour-group totals, means and rates over the LAs reporting).
/// </summary>
internal sealed class DemoDisclosureData
{
    public required DisclosureCollection Collection { get; init; }
    public required IReadOnlyList<DisclosureLa> Las { get; init; }
    public required List<DisclosureLaValue> LaValues { get; init; }
    public required List<DisclosureAreaValue> AreaValues { get; init; }

    /// <param name="seedOffset">Added to the LA code to seed its return: the year by default; 0 gives the demo seeder's own
    /// 2024-25 returns (<see cref="DemoCollectionSeeder"/> seeds with the LA code alone).</param>
    public static DemoDisclosureData Create(SurveyDefinition definition, int year = 2024, int threshold = 4, int collectionId = 1, int? seedOffset = null)
    {
        var las = Read("local_authorities.csv").Select(r => (Code: r["old_la_code"], Region: r["region_code"])).ToList();
        var current = las.Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
        var neighbours = Read("statistical_neighbours_2025.csv").Where(r => current.Contains(r["old_la_code"]))
            .GroupBy(r => r["old_la_code"])
            .ToDictionary(g => g.Key, g => g.OrderBy(r => int.Parse(r["rank"], CultureInfo.InvariantCulture)).Select(r => r["neighbour_old_la_code"]).ToList());
        var population = Read("population_0_17.csv")
            .Where(r => r["geographic_level"] == "Local authority" && r["time_period"] == year.ToString(CultureInfo.InvariantCulture)
                && int.TryParse(r["population_estimate"], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .ToDictionary(r => r["old_la_code"], r => decimal.Parse(r["population_estimate"], CultureInfo.InvariantCulture));
        var geography = las.Select(l => new DisclosureLa(l.Code, l.Region, neighbours.GetValueOrDefault(l.Code) ?? [])).ToList();

        var measures = BenchmarkMeasures.For(collectionId, definition, definition);
        var laValues = new List<DisclosureLaValue>();
        foreach (var la in las)
        {
            var pop = population.GetValueOrDefault(la.Code, 40_000m);
            var answers = SyntheticReturnGenerator.Generate(definition, (int)pop, int.Parse(la.Code, CultureInfo.InvariantCulture) + (seedOffset ?? year));
            decimal? Number(string key) => answers.TryGetValue(key, out var raw) && raw is not null
                && decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
            var kinds = measures.ToDictionary(m => m.MeasureKey, m => m.Kind, StringComparer.Ordinal);
            foreach (var m in measures)
            {
                if (m.Kind != nameof(MeasureKind.Indicator))
                {
                    var value = Number(m.MeasureKey);
                    laValues.Add(new DisclosureLaValue
                    {
                        CollectionId = collectionId,
                        LaCode = la.Code,
                        MeasureKey = m.MeasureKey,
                        State = value is null ? ValueState.NotAnswered : ValueState.Value,
                        Value = value,
                        Small = m.Kind == nameof(MeasureKind.Count) && value is >= 1 && value <= threshold,
                    });
                    continue;
                }

                var perPopulation = !kinds.ContainsKey(m.Denominator!);
                var numerator = Number(m.Numerator!);
                var denominator = perPopulation ? pop : Number(m.Denominator!);
                bool IsSmallCount(string key, decimal? v) => kinds.GetValueOrDefault(key) == nameof(MeasureKind.Count) && v is >= 1 && v <= threshold;
                var ok = numerator is not null && denominator is not null && denominator != 0;
                laValues.Add(new DisclosureLaValue
                {
                    CollectionId = collectionId,
                    LaCode = la.Code,
                    MeasureKey = m.MeasureKey,
                    State = numerator is null || denominator is null ? ValueState.NotAnswered : denominator == 0 ? ValueState.NotApplicable : ValueState.Value,
                    Value = ok ? Math.Round(numerator!.Value / denominator!.Value * (m.Multiplier ?? 1m), 10) : null,
                    Denominator = denominator,
                    Small = ok && (IsSmallCount(m.Numerator!, numerator) || IsSmallCount(m.Denominator!, denominator)),
                });
            }
        }

        var byKey = laValues.ToDictionary(v => (v.LaCode, v.MeasureKey));
        var areas = new List<(AreaLevel Level, string Code, IReadOnlyList<string> Members)> { (AreaLevel.National, "E92000001", [.. las.Select(l => l.Code)]) };
        areas.AddRange(las.GroupBy(l => l.Region).Select(g => (AreaLevel.Regional, g.Key, (IReadOnlyList<string>)[.. g.Select(l => l.Code)])));
        areas.AddRange(geography.Select(l => (AreaLevel.Neighbours, l.Code, l.Neighbours)));
        var areaValues = new List<DisclosureAreaValue>();
        foreach (var (level, code, members) in areas)
        {
            foreach (var m in measures)
            {
                var reporting = members.Select(la => byKey[(la, m.MeasureKey)]).Where(v => v.State == ValueState.Value).ToList();
                decimal? Sum(Func<DisclosureLaValue, decimal?> of) => reporting.Count == 0 ? null : reporting.Sum(v => of(v) ?? 0);
                var isIndicator = m.Kind == nameof(MeasureKind.Indicator);
                decimal? numeratorTotal = isIndicator ? Sum(v => byKey[(v.LaCode, m.Numerator!)].Value) : null;
                decimal? denominatorTotal = isIndicator ? Sum(v => v.Denominator) : null;
                areaValues.Add(new DisclosureAreaValue
                {
                    CollectionId = collectionId,
                    MeasureKey = m.MeasureKey,
                    Level = level,
                    AreaCode = code,
                    Total = m.Kind == nameof(MeasureKind.Count) ? Sum(v => v.Value) : null,
                    Mean = reporting.Count == 0 ? null : Math.Round(reporting.Average(v => v.Value!.Value), 10),
                    NumeratorTotal = numeratorTotal,
                    DenominatorTotal = denominatorTotal,
                    Rate = isIndicator && denominatorTotal is { } d && d != 0 ? Math.Round(numeratorTotal!.Value / d * (m.Multiplier ?? 1m), 10) : null,
                    ReportingCount = reporting.Count,
                });
            }
        }

        return new DemoDisclosureData
        {
            Collection = new DisclosureCollection(collectionId, $"{year}-{(year + 1) % 100:00}", definition, measures),
            Las = geography,
            LaValues = laValues,
            AreaValues = areaValues,
        };
    }

    private static List<Dictionary<string, string>> Read(string file)
    {
        using var stream = typeof(BenchmarkDisclosure).Assembly.GetManifestResourceStream("FgcReturns.Core.ReferenceData." + file)!;
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return [.. csv.GetRecords<dynamic>().Select(r => ((IDictionary<string, object>)r).ToDictionary(k => k.Key, k => (string)k.Value, StringComparer.Ordinal))];
    }
}
