using System.Diagnostics;
using FgcReturns.Core.Data;
using FgcReturns.Core.Demo;
using FgcReturns.Core.PeerInsight;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace FgcReturns.Benchmarks;

/// <summary>
/// Issue 14's timings, with the harness's 10-year final build in place: the "where you would sit" panel for one
/// return (read from the stored build, as the check-answers page does), and what the peer rules add to validating
/// one full return (the engine alone, the reference given as data; and loading that reference, which each save does).
/// </summary>
internal static class PeerTimings
{
    public static async Task<IEnumerable<(string Measure, string Figure)>> RunAsync(IDbContextFactory<FgcDbContext> factory, SurveyDefinitionCatalog catalog, int runs)
    {
        var results = new List<(string, string)>();
        Core.Collections.Collection collection;
        await using (var db = await factory.CreateDbContextAsync())
        {
            collection = await db.Collections.AsNoTracking().OrderByDescending(c => c.PeriodStart).FirstAsync();
        }

        var definition = catalog.Get(collection.SurveyId, collection.DefinitionVersion) ?? throw new InvalidOperationException("No definition " + collection.DefinitionVersion);
        var values = SyntheticReturnGenerator.Generate(definition, 60_000, seed: 2025);
        var previous = SyntheticReturnGenerator.Generate(definition, 60_000, seed: 2024);

        // 1. The panel, each time in a new DbContext as a page request would: with the figures already kept for the
        // current build (every request but the first after a build), and cold (a new cache each time: the first).
        using var cache = new MemoryCache(new MemoryCacheOptions());
        PeerPosition? position = null;
        var panel = await TimeAsync(runs, async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            position = await new PeerPositionService(new PeerBenchmarkQuery(db, cache), db).ComputeAsync(definition, collection, TestData.Medway, values);
        });
        if (position is null)
        {
            throw new InvalidOperationException("The panel found no final benchmark before " + collection.Period);
        }

        var panelCold = await TimeAsync(runs, async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            using var empty = new MemoryCache(new MemoryCacheOptions());
            await new PeerPositionService(new PeerBenchmarkQuery(db, empty), db).ComputeAsync(definition, collection, TestData.Medway, values);
        });
        results.Add(($"Where you would sit, one return ({position.Rows.Count} indicators against {position.Period}; ms, median / p95 of {runs})",
            $"{Percentile(panel, 0.5):F2} / {Percentile(panel, 0.95):F2} (target 20); first after a new build {Percentile(panelCold, 0.5):F2} / {Percentile(panelCold, 0.95):F2}"));

        // 2. Loading the peer reference (England percentiles, medians) from the build, as every validation on a save does:
        // kept for the current build, and cold.
        PeerReference? reference = null;
        var load = await TimeAsync(runs, async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            reference = await new PeerBenchmarkQuery(db, cache).ReferenceAsync(definition, collection, TestData.Medway);
        });
        var loadCold = await TimeAsync(runs, async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            using var empty = new MemoryCache(new MemoryCacheOptions());
            await new PeerBenchmarkQuery(db, empty).ReferenceAsync(definition, collection, TestData.Medway);
        });
        results.Add(($"Peer reference for one return ({reference?.Measures.Count ?? 0} measures; ms, median / p95 of {runs})",
            $"{Percentile(load, 0.5):F2} / {Percentile(load, 0.95):F2}; first after a new build {Percentile(loadCold, 0.5):F2} / {Percentile(loadCold, 0.95):F2}"));

        // 3. The engine: a full return validated with the reference and without it (peer rules then silent).
        var engineRuns = runs * 5;
        var without = Time(engineRuns, () => ValidationEngine.Validate(definition, values, previous));
        var with = Time(engineRuns, () => ValidationEngine.Validate(definition, values, previous, reference));
        var peerIssues = ValidationEngine.Validate(definition, values, previous, reference).Issues.Count(i => i.RuleId.StartsWith('P'));
        results.Add(($"Validate one full FGC {definition.Version} return without / with the peer reference ({values.Count} values, {peerIssues} peer query(ies); ms, median of {engineRuns})",
            $"{Percentile(without, 0.5):F3} / {Percentile(with, 0.5):F3}; the peer rules add {Percentile(with, 0.5) - Percentile(without, 0.5):F3} (target 1)"));
        return results;
    }

    private static List<double> Time(int runs, Action action)
    {
        for (var i = 0; i < 100; i++)
        {
            action(); // warm-up
        }

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static async Task<List<double>> TimeAsync(int runs, Func<Task> action)
    {
        for (var i = 0; i < 20; i++)
        {
            await action(); // warm-up
        }

        var times = new List<double>(runs);
        for (var i = 0; i < runs; i++)
        {
            var watch = Stopwatch.StartNew();
            await action();
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }
}
