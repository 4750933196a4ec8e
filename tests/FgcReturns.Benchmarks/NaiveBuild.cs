using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Benchmarks;

/// <summary>
/// The same build done the obvious way, for comparison: load every accepted return with EF, compute every figure
/// in LINQ, save every row with EF. Writes into the same tables under a build record of its own (never current).
/// </summary>
internal static class NaiveBuild
{
    public static async Task<int> RunAsync(IDbContextFactory<FgcDbContext> factory, SurveyDefinitionCatalog catalog, string surveyId)
    {
        await using var db = await factory.CreateDbContextAsync();
        var build = new BenchmarkBuild { SurveyId = surveyId, Kind = BenchmarkKind.Provisional, Status = BenchmarkBuildStatus.Running, StartedAt = DateTimeOffset.UtcNow, SeriesVersion = "naive", SuppressionThreshold = 4 };
        db.Add(build);
        await db.SaveChangesAsync();
        var collections = await db.Collections.Where(c => c.SurveyId == surveyId).AsNoTracking().ToListAsync();
        var returns = await db.Returns.Where(r => r.Status == ReturnStatus.Accepted).AsNoTracking().ToListAsync();
        var las = await db.LocalAuthorities.AsNoTracking().ToDictionaryAsync(l => l.Code, l => l.RegionCode);
        var neighbours = await db.StatisticalNeighbours.AsNoTracking().ToListAsync();
        var populations = await db.ChildPopulations.AsNoTracking().ToListAsync();
        var newest = collections.Select(c => catalog.Get(surveyId, c.DefinitionVersion)!).MaxBy(d => d.SemanticVersion)!;
        var rows = 0;
        foreach (var collection in collections)
        {
            var definition = catalog.Get(surveyId, collection.DefinitionVersion)!;
            var specs = BenchmarkMeasures.For(collection.Id, definition, newest);
            var inCollection = returns.Where(r => r.CollectionId == collection.Id).ToList();
            var laValues = new List<BenchmarkLaValue>();
            foreach (var spec in specs)
            {
                db.Add(new BenchmarkMeasure { BuildId = build.Id, CollectionId = collection.Id, MeasureKey = spec.MeasureKey, SeriesKey = spec.SeriesKey, Kind = Enum.Parse<MeasureKind>(spec.Kind), Label = spec.Label, SortOrder = spec.SortOrder });
                var figures = inCollection.Select(r =>
                {
                    decimal? population = populations.Where(p => p.LaCode == r.LaCode && p.Year <= collection.PeriodStart.Year).OrderByDescending(p => p.Year).Select(p => (decimal?)p.Population).FirstOrDefault();
                    decimal? value = spec.Kind == nameof(MeasureKind.Indicator)
                        ? definition.FindIndicator(spec.MeasureKey)!.Compute(r.Values, population)
                        : r.Values.TryGetValue(spec.MeasureKey, out var raw) && raw is not null ? decimal.Parse(raw, System.Globalization.CultureInfo.InvariantCulture) : null;
                    return (r.LaCode, Value: value);
                }).ToList();
                var reported = figures.Where(f => f.Value is not null).Select(f => f.Value!.Value).ToList();
                foreach (var (la, value) in figures)
                {
                    var rank = value is null ? (int?)null : reported.Count(v => v > value) + 1;
                    laValues.Add(new BenchmarkLaValue
                    {
                        BuildId = build.Id,
                        CollectionId = collection.Id,
                        LaCode = la,
                        MeasureKey = spec.MeasureKey,
                        SeriesKey = spec.SeriesKey,
                        State = value is null ? ValueState.NotAnswered : ValueState.Value,
                        Value = value,
                        Rank = rank,
                        RankOf = reported.Count,
                        Quartile = rank is null ? null : ((rank - 1) * 4 / reported.Count) + 1,
                        Small = value is >= 1 and <= 4,
                    });
                }

                var groups = new List<(AreaLevel, string, HashSet<string>)> { (AreaLevel.National, "E92000001", las.Keys.ToHashSet()) };
                groups.AddRange(las.GroupBy(l => l.Value).Select(g => (AreaLevel.Regional, g.Key, g.Select(x => x.Key).ToHashSet())));
                groups.AddRange(neighbours.GroupBy(n => n.LaCode).Select(g => (AreaLevel.Neighbours, g.Key, g.Select(n => n.NeighbourLaCode).ToHashSet())));
                foreach (var (level, code, members) in groups)
                {
                    var values = figures.Where(f => members.Contains(f.LaCode) && f.Value is not null).Select(f => f.Value!.Value).Order().ToList();
                    if (values.Count == 0)
                    {
                        continue;
                    }

                    db.Add(new BenchmarkAreaValue
                    {
                        BuildId = build.Id,
                        CollectionId = collection.Id,
                        MeasureKey = spec.MeasureKey,
                        SeriesKey = spec.SeriesKey,
                        AreaLevel = level,
                        AreaCode = code,
                        Total = values.Sum(),
                        Mean = values.Average(),
                        Median = Percentile(values, 0.5m),
                        LowerQuartile = Percentile(values, 0.25m),
                        UpperQuartile = Percentile(values, 0.75m),
                        Min = values[0],
                        Max = values[^1],
                        ReportingCount = values.Count,
                    });
                    rows++;
                }
            }

            db.AddRange(laValues);
            rows += laValues.Count;
            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        await db.Database.ExecuteSqlAsync($"UPDATE benchmark_builds SET status = 'Failed', error = 'naive comparison run' WHERE id = {build.Id}");
        return rows;
    }

    private static decimal Percentile(List<decimal> sorted, decimal p)
    {
        var position = p * (sorted.Count - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + ((position - lower) * (sorted[upper] - sorted[lower]));
    }
}
