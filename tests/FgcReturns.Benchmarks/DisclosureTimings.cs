using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CsvHelper;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Demo;
using FgcReturns.Core.SurveyDefinitions;

namespace FgcReturns.Benchmarks;

/// <summary>
/// Issue 11: disclosure control's CPU in memory, without PostgreSQL (--only-disclosure). Generates the harness's
/// synthetic years (10 x 153 LAs, the same generator and seed; --years N) or, with --demo, four representative years
/// of the demo's returns (2021-22 to 2024-25), computes the LA values and area aggregates as the build's SQL does, then
/// runs what the build runs (<see cref="BenchmarkDisclosure.ProtectForAudit"/> and the audit on its models) --runs
/// times (default 5). Prints process CPU and wall time per step, the hidden counts and a hash of the hidden set, so a
/// change that alters which cells are hidden shows at once. --no-secondary protects without secondary suppression
/// (the audit must then find leaks).
/// </summary>
internal static class DisclosureTimings
{
    private const int Threshold = 4;

    public static int Run(string repositoryRoot, string[] args)
    {
        var runs = Arg(args, "--runs", 5);
        var demo = args.Contains("--demo");
        var secondary = !args.Contains("--no-secondary");
        var loaded = SurveyDefinitionLoader.LoadFolder(Path.Combine(repositoryRoot, "survey-definitions"));
        var v10 = loaded.Definitions.Single(d => d.SurveyId == "fgc-annual" && d.Version == "1.0");
        var v11 = loaded.Definitions.Single(d => d.SurveyId == "fgc-annual" && d.Version == "1.1");
        var geography = Geography();

        var generate = Stopwatch.StartNew();
        var collections = new List<DisclosureCollection>();
        var laValues = new List<DisclosureLaValue>();
        var areaValues = new List<DisclosureAreaValue>();
        if (demo)
        {
            // The representative years of the Core tests (DemoDisclosureData): each LA's return seeded by its code + year.
            for (var year = 2021; year <= 2024; year++)
            {
                var population = Population(year);
                var id = collections.Count + 1;
                AddYear(id, year, v10, v10, geography, laValues, areaValues, collections, la =>
                {
                    var pop = population.GetValueOrDefault(la, 40_000m);
                    return (SyntheticReturnGenerator.Generate(v10, (int)pop, int.Parse(la, CultureInfo.InvariantCulture) + year), pop);
                });
            }
        }
        else
        {
            // The timed harness's data: one Random(42) over every year and LA, in LA code order; 1.1 for the last year.
            var years = Arg(args, "--years", 10);
            const int LastYear = 2025;
            var rng = new Random(42);
            var codes = geography.Select(l => l.Code).Order(StringComparer.Ordinal).ToList();
            for (var year = LastYear - years + 1; year <= LastYear; year++)
            {
                var definition = year == LastYear ? v11 : v10;
                var population = Population(year);
                var answers = codes.ToDictionary(c => c, _ => Synthetic.Values(rng, definition), StringComparer.Ordinal);
                AddYear(collections.Count + 1, year, definition, v11, geography, laValues, areaValues, collections,
                    la => (answers[la], population.GetValueOrDefault(la, 40_000m)));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(demo ? "Demo" : "Harness")} data: {collections.Count} years, {geography.Count} LAs, {laValues.Count:N0} LA values, {areaValues.Count:N0} area values in {generate.ElapsedMilliseconds} ms ({Environment.ProcessorCount} cores, .NET {Environment.Version})"));

        var process = Process.GetCurrentProcess();
        var protectCpu = new List<double>();
        var protectWall = new List<double>();
        var auditCpu = new List<double>();
        var auditWall = new List<double>();
        string? firstHash = null;
        for (var run = 0; run < runs; run++)
        {
            GC.Collect();
            var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
            var (gen0, gen1, gen2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            process.Refresh();
            var cpu0 = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            var build = BenchmarkDisclosure.ProtectForAudit(collections, geography, laValues, areaValues, Threshold, secondary,
                minimumNationalLas: 115, minimumAreaLas: 3);
            var protectMs = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpu1 = process.TotalProcessorTime;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
            var gcs = string.Create(CultureInfo.InvariantCulture,
                $"GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2} (gen 0/1/2), paused {(GC.GetTotalPauseDuration() - paused).TotalMilliseconds:F0} ms");
            var (auditGen0, auditGen1, auditGen2, auditPaused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
            watch.Restart();
            var audited = build.Audit();
            var auditMs = watch.Elapsed.TotalMilliseconds;
            process.Refresh();
            var cpu2 = process.TotalProcessorTime;
            var auditGcs = string.Create(CultureInfo.InvariantCulture,
                $"GCs {GC.CollectionCount(0) - auditGen0}/{GC.CollectionCount(1) - auditGen1}/{GC.CollectionCount(2) - auditGen2}, paused {(GC.GetTotalPauseDuration() - auditPaused).TotalMilliseconds:F0} ms");

            protectCpu.Add((cpu1 - cpu0).TotalMilliseconds);
            protectWall.Add(protectMs);
            auditCpu.Add((cpu2 - cpu1).TotalMilliseconds);
            auditWall.Add(auditMs);
            var primary = laValues.Count(v => v.Small);
            var hiddenSecondary = laValues.Count(v => v.Suppressed && !v.Small);
            var areas = areaValues.Count(a => a.Suppressed != SuppressedStatistics.None);
            var hash = HiddenSetHash(laValues, areaValues);
            firstHash ??= hash;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: protect CPU {protectCpu[^1]:F0} ms, wall {protectMs:F0} ms, {allocated / 1048576.0:F0} MB allocated, {gcs}; audit CPU {auditCpu[^1]:F0} ms, wall {auditMs:F0} ms, {auditGcs}; hidden {primary:N0} primary / {hiddenSecondary:N0} secondary, {areas:N0} area rows; left {build.Left.Count}, audit found {audited.Count} ({FindingsHash(audited)}); hidden set {hash}{(hash == firstHash ? "" : " (DIFFERS from run 1)")}"));
        }

        Console.WriteLine();
        Console.WriteLine("| Measure | Figure |");
        Console.WriteLine("|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Protect (secondary suppression), process CPU ms: first / min / median of {runs} | {protectCpu[0]:F0} / {protectCpu.Min():F0} / {Median(protectCpu):F0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Protect, wall ms: first / min / median | {protectWall[0]:F0} / {protectWall.Min():F0} / {Median(protectWall):F0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Audit on the protected models, process CPU ms: first / min / median | {auditCpu[0]:F0} / {auditCpu.Min():F0} / {Median(auditCpu):F0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| Audit, wall ms: first / min / median | {auditWall[0]:F0} / {auditWall.Min():F0} / {Median(auditWall):F0} |"));
        Console.WriteLine($"| Hidden set hash | {firstHash} |");
        return 0;
    }

    /// <summary>One year's LA values and area aggregates, as the build's SQL computes them (see DemoDisclosureData in the Core tests).</summary>
    private static void AddYear(int collectionId, int year, SurveyDefinition definition, SurveyDefinition newest, List<DisclosureLa> las,
        List<DisclosureLaValue> laValues, List<DisclosureAreaValue> areaValues, List<DisclosureCollection> collections,
        Func<string, (Dictionary<string, string?> Answers, decimal Population)> returnOf)
    {
        var measures = BenchmarkMeasures.For(collectionId, definition, newest);
        var kinds = measures.ToDictionary(m => m.MeasureKey, m => m.Kind, StringComparer.Ordinal);
        var byKey = new Dictionary<(string La, string Key), DisclosureLaValue>();
        foreach (var la in las)
        {
            var (answers, pop) = returnOf(la.Code);
            decimal? Number(string key) => answers.TryGetValue(key, out var raw) && raw is not null
                && decimal.TryParse(raw, NumberStyles.Number, CultureInfo.InvariantCulture, out var n) ? n : null;
            bool IsSmallCount(string key, decimal? v) => kinds.GetValueOrDefault(key) == nameof(MeasureKind.Count) && v is >= 1 and <= Threshold;
            foreach (var m in measures)
            {
                DisclosureLaValue value;
                if (m.Kind != nameof(MeasureKind.Indicator))
                {
                    var number = Number(m.MeasureKey);
                    value = new DisclosureLaValue
                    {
                        CollectionId = collectionId,
                        LaCode = la.Code,
                        MeasureKey = m.MeasureKey,
                        State = number is null ? ValueState.NotAnswered : ValueState.Value,
                        Value = number,
                        Small = m.Kind == nameof(MeasureKind.Count) && number is >= 1 and <= Threshold,
                    };
                }
                else
                {
                    var numerator = Number(m.Numerator!);
                    var denominator = kinds.ContainsKey(m.Denominator!) ? Number(m.Denominator!) : pop;
                    var ok = numerator is not null && denominator is not null && denominator != 0;
                    value = new DisclosureLaValue
                    {
                        CollectionId = collectionId,
                        LaCode = la.Code,
                        MeasureKey = m.MeasureKey,
                        State = numerator is null || denominator is null ? ValueState.NotAnswered : denominator == 0 ? ValueState.NotApplicable : ValueState.Value,
                        Value = ok ? Math.Round(numerator!.Value / denominator!.Value * (m.Multiplier ?? 1m), 10) : null,
                        Denominator = denominator,
                        Small = ok && (IsSmallCount(m.Numerator!, numerator) || IsSmallCount(m.Denominator!, denominator)),
                    };
                }

                laValues.Add(value);
                byKey[(la.Code, m.MeasureKey)] = value;
            }
        }

        var areas = new List<(AreaLevel Level, string Code, IReadOnlyList<string> Members)> { (AreaLevel.National, "E92000001", [.. las.Select(l => l.Code)]) };
        areas.AddRange(las.GroupBy(l => l.RegionCode).Select(g => (AreaLevel.Regional, g.Key, (IReadOnlyList<string>)[.. g.Select(l => l.Code)])));
        areas.AddRange(las.Select(l => (AreaLevel.Neighbours, l.Code, l.Neighbours)));
        foreach (var (level, code, members) in areas)
        {
            foreach (var m in measures)
            {
                var reporting = members.Select(la => byKey[(la, m.MeasureKey)]).Where(v => v.State == ValueState.Value).ToList();
                decimal? Sum(Func<DisclosureLaValue, decimal?> of) => reporting.Count == 0 ? null : reporting.Sum(v => of(v) ?? 0);
                var isIndicator = m.Kind == nameof(MeasureKind.Indicator);
                var numeratorTotal = isIndicator ? Sum(v => byKey[(v.LaCode, m.Numerator!)].Value) : null;
                var denominatorTotal = isIndicator ? Sum(v => v.Denominator) : null;
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

        collections.Add(new DisclosureCollection(collectionId, string.Create(CultureInfo.InvariantCulture, $"{year}-{(year + 1) % 100:00}"), definition, measures));
    }

    /// <summary>Every hidden LA value and area statistic, sorted, hashed: equal hashes mean the same cells hidden.</summary>
    private static string HiddenSetHash(List<DisclosureLaValue> laValues, List<DisclosureAreaValue> areaValues)
    {
        var lines = laValues.Where(v => v.Suppressed).Select(v => $"{v.CollectionId} {v.LaCode} {v.MeasureKey}")
            .Concat(areaValues.Where(a => a.Suppressed != SuppressedStatistics.None).Select(a => $"{a.CollectionId} {a.Level} {a.AreaCode} {a.MeasureKey} {(int)a.Suppressed}"))
            .Order(StringComparer.Ordinal);
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', lines))))[..16];
    }

    /// <summary>What the audit reported (audience, cell, value, relation), sorted, hashed: with --no-secondary, equal hashes mean the same leaks found.</summary>
    private static string FindingsHash(IReadOnlyList<Recovery> found) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\n', found.Select(r => r.ToString()).Order(StringComparer.Ordinal)))))[..16];

    /// <summary>The 153 LAs with their regions and statistical neighbours, from the embedded reference data.</summary>
    private static List<DisclosureLa> Geography()
    {
        var las = Read("local_authorities.csv").Select(r => (Code: r["old_la_code"], Region: r["region_code"])).ToList();
        var current = las.Select(l => l.Code).ToHashSet(StringComparer.Ordinal);
        var neighbours = Read("statistical_neighbours_2025.csv").Where(r => current.Contains(r["old_la_code"]))
            .GroupBy(r => r["old_la_code"])
            .ToDictionary(g => g.Key, g => g.OrderBy(r => int.Parse(r["rank"], CultureInfo.InvariantCulture)).Select(r => r["neighbour_old_la_code"]).ToList());
        return [.. las.Select(l => new DisclosureLa(l.Code, l.Region, neighbours.GetValueOrDefault(l.Code) ?? []))];
    }

    private static Dictionary<string, decimal> Population(int year) =>
        Read("population_0_17.csv")
            .Where(r => r["geographic_level"] == "Local authority" && r["time_period"] == year.ToString(CultureInfo.InvariantCulture)
                && int.TryParse(r["population_estimate"], NumberStyles.None, CultureInfo.InvariantCulture, out _))
            .ToDictionary(r => r["old_la_code"], r => decimal.Parse(r["population_estimate"], CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static List<Dictionary<string, string>> Read(string file)
    {
        using var stream = typeof(BenchmarkDisclosure).Assembly.GetManifestResourceStream("FgcReturns.Core.ReferenceData." + file)!;
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        return [.. csv.GetRecords<dynamic>().Select(r => ((IDictionary<string, object>)r).ToDictionary(k => k.Key, k => (string)k.Value, StringComparer.Ordinal))];
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
