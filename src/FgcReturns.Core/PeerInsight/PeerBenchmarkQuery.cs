using System.Globalization;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Collections;
using FgcReturns.Core.Data;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.Core.Validation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace FgcReturns.Core.PeerInsight;

/// <summary>The reference year's figures for some measures, from the current final build, scoped to one LA's areas.</summary>
public sealed record PeerBenchmark(
    long BuildId,
    int CollectionId,
    string Period,
    DateOnly PeriodStart,
    string RegionCode,
    int Threshold,
    IReadOnlyDictionary<string, MeasureKind> Kinds,
    IReadOnlyList<BenchmarkAreaValue> Areas,
    IReadOnlyDictionary<(string SeriesKey, int Percentile), decimal> EnglandPercentiles)
{
    public BenchmarkAreaValue? Area(string seriesKey, AreaLevel level) => Areas.FirstOrDefault(a => a.SeriesKey == seriesKey && a.AreaLevel == level);

    /// <summary>A statistic as another LA may see it (suppressed as c, below coverage as x): the published figure, never more.</summary>
    public Figure Published(string seriesKey, AreaLevel level, DisclosureControl.Statistic statistic) =>
        DisclosureControl.Area(Area(seriesKey, level), Kinds.GetValueOrDefault(seriesKey, MeasureKind.Indicator), statistic, Threshold, DisclosureView.Suppressed);
}

/// <summary>
/// Reads the latest final benchmark before a return's year from the stored current final build (no new build):
/// England, the LA's region and the LA's neighbour group only, never another LA's value. England percentiles
/// that the peer rules need are computed here from the build's LA values, in SQL; only the percentile is returned.
/// A build's rows never change once it is current, so what is read is kept in memory under the build's id: each
/// call reads only which build is current (one row by a unique index), and a new current build is a new key, on
/// every instance, without any message between them.
/// </summary>
public sealed class PeerBenchmarkQuery(FgcDbContext db, IMemoryCache cache)
{
    /// <summary>How long an unused entry stays; a superseded build's entries are never asked for again and expire.</summary>
    private static readonly TimeSpan KeptUnused = TimeSpan.FromMinutes(30);

    /// <summary>The reference figures, or null when there is no final build with an earlier year above coverage.</summary>
    public async Task<PeerBenchmark?> LoadAsync(string surveyId, DateOnly before, string laCode, IReadOnlyCollection<string> seriesKeys, IReadOnlyCollection<int> percentiles, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(seriesKeys);
        ArgumentNullException.ThrowIfNull(percentiles);
        if (seriesKeys.Count == 0)
        {
            return null;
        }

        var build = await db.Set<BenchmarkBuild>().AsNoTracking()
            .Where(b => b.SurveyId == surveyId && b.Kind == BenchmarkKind.Final && b.IsCurrent)
            .Select(b => new { b.Id, b.StartedAt })
            .SingleOrDefaultAsync(ct);
        if (build is null)
        {
            return null;
        }

        // The database name and start time keep two databases' builds with the same id apart (tests, restores).
        var key = string.Join('|', "peer-benchmark", db.Database.GetDbConnection().Database, build.Id.ToString(CultureInfo.InvariantCulture),
            build.StartedAt.UtcTicks.ToString(CultureInfo.InvariantCulture), surveyId, before.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), laCode,
            string.Join(',', seriesKeys.Distinct().Order(StringComparer.Ordinal)), string.Join(',', percentiles.Distinct().Order().Select(p => p.ToString(CultureInfo.InvariantCulture))));
        if (cache.TryGetValue(key, out CachedBenchmark? cached) && cached is not null)
        {
            return cached.Benchmark;
        }

        var benchmark = await ReadAsync(build.Id, before, laCode, seriesKeys, percentiles, ct);
        cache.Set(key, new CachedBenchmark(benchmark), new MemoryCacheEntryOptions { SlidingExpiration = KeptUnused, Size = 1 });
        return benchmark;
    }

    private async Task<PeerBenchmark?> ReadAsync(long buildId, DateOnly before, string laCode, IReadOnlyCollection<string> seriesKeys, IReadOnlyCollection<int> percentiles, CancellationToken ct)
    {
        var keys = seriesKeys.ToArray();
        var reference = await db.Database.SqlQuery<ReferenceYear>($"""
            SELECT b.id AS build_id, b.suppression_threshold AS threshold, c.id AS collection_id, c.period, c.period_start, la.region_code
            FROM benchmark_builds b
            JOIN benchmark_area_values a ON a.build_id = b.id AND a.area_level = 'National' AND a.series_key = ANY({keys})
            JOIN collections c ON c.id = a.collection_id
            JOIN local_authorities la ON la.code = {laCode}
            WHERE b.id = {buildId} AND c.period_start < {before}
              AND a.reporting_count > 0 AND (a.suppressed_statistics & {(int)SuppressedStatistics.BelowCoverage}) = 0
            ORDER BY c.period_start DESC
            LIMIT 1
            """).SingleOrDefaultAsync(ct);
        if (reference is null)
        {
            return null;
        }

        var region = reference.RegionCode;
        var areas = await db.Set<BenchmarkAreaValue>().AsNoTracking()
            .Where(a => a.BuildId == reference.BuildId && a.CollectionId == reference.CollectionId && keys.Contains(a.SeriesKey)
                && (a.AreaLevel == AreaLevel.National
                    || (a.AreaLevel == AreaLevel.Regional && a.AreaCode == region)
                    || (a.AreaLevel == AreaLevel.Neighbours && a.AreaCode == laCode)))
            .ToListAsync(ct);
        var kinds = await db.Set<BenchmarkMeasure>().AsNoTracking()
            .Where(m => m.BuildId == reference.BuildId && m.CollectionId == reference.CollectionId && keys.Contains(m.SeriesKey))
            .ToDictionaryAsync(m => m.SeriesKey, m => m.Kind, ct);
        var percentileMap = new Dictionary<(string, int), decimal>();
        if (percentiles.Count > 0)
        {
            var wanted = percentiles.Distinct().Order().ToArray();
            var fractions = wanted.Select(p => p / 100.0).ToArray();
            var rows = await db.Database.SqlQuery<PercentileRow>($"""
                SELECT x.series_key, p.percentile, p.value
                FROM (SELECT series_key, percentile_cont({fractions}) WITHIN GROUP (ORDER BY value::float8) AS q
                      FROM benchmark_la_values
                      WHERE build_id = {reference.BuildId} AND collection_id = {reference.CollectionId} AND series_key = ANY({keys}) AND state = 'Value'
                      GROUP BY series_key) x
                CROSS JOIN LATERAL unnest({wanted}, x.q) AS p(percentile, value)
                """).ToListAsync(ct);
            foreach (var row in rows.Where(r => r.Value is not null))
            {
                percentileMap[(row.SeriesKey, row.Percentile)] = Math.Round((decimal)row.Value!.Value, 10);
            }
        }

        return new PeerBenchmark(reference.BuildId, reference.CollectionId, reference.Period, reference.PeriodStart, reference.RegionCode,
            reference.Threshold, kinds, areas, percentileMap);
    }

    /// <summary>
    /// What the peer rules of the return's definition compare against, or null (the rules are then silent) when there
    /// is no final benchmark of an earlier year. England figures below coverage or suppressed are left out.
    /// </summary>
    public async Task<PeerReference?> ReferenceAsync(SurveyDefinition definition, Collection collection, string laCode, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(collection);
        var ranges = definition.Rules.Select(r => r.PeerRange).OfType<PeerRange>().ToList();
        if (ranges.Count == 0)
        {
            return null;
        }

        var benchmark = await LoadAsync(collection.SurveyId, collection.PeriodStart, laCode, ranges.Select(r => r.Measure).Distinct().ToList(),
            ranges.SelectMany(r => r.Percentiles).Distinct().ToList(), ct);
        if (benchmark is null)
        {
            return null;
        }

        var measures = new Dictionary<string, PeerFigures>(StringComparer.Ordinal);
        foreach (var measure in ranges.Select(r => r.Measure).Distinct())
        {
            var england = benchmark.Area(measure, AreaLevel.National);
            if (england is null || england.ReportingCount == 0 || england.SuppressedStatistics.HasFlag(SuppressedStatistics.BelowCoverage))
            {
                continue;
            }

            var percentiles = ranges.Where(r => r.Measure == measure).SelectMany(r => r.Percentiles).Distinct()
                .Where(p => benchmark.EnglandPercentiles.ContainsKey((measure, p)))
                .ToDictionary(p => p, p => benchmark.EnglandPercentiles[(measure, p)]);
            measures[measure] = new PeerFigures(
                benchmark.Published(measure, AreaLevel.National, DisclosureControl.Statistic.Median).Number,
                percentiles,
                benchmark.Published(measure, AreaLevel.Neighbours, DisclosureControl.Statistic.Median).Number);
        }

        var population = definition.Indicators.Any(i => i.Denominator == Indicator.Population0To17 && measures.ContainsKey(i.Key))
            ? await PopulationAsync(laCode, collection.PeriodStart.Year, ct)
            : null;
        return new PeerReference(benchmark.Period, benchmark.PeriodStart == collection.PeriodStart.AddYears(-1), population, measures);
    }

    /// <summary>The LA's 0 to 17 population for the year, or the latest earlier estimate (as the build uses).</summary>
    public async Task<decimal?> PopulationAsync(string laCode, int year, CancellationToken ct = default) =>
        await db.ChildPopulations.AsNoTracking().Where(p => p.LaCode == laCode && p.Year <= year)
            .OrderByDescending(p => p.Year).Select(p => (decimal?)p.Population).FirstOrDefaultAsync(ct);

    /// <summary>A cache entry, so that "no reference year in this build" is kept as well as a benchmark.</summary>
    private sealed record CachedBenchmark(PeerBenchmark? Benchmark);

    private sealed record ReferenceYear(long BuildId, int Threshold, int CollectionId, string Period, DateOnly PeriodStart, string RegionCode);

    private sealed record PercentileRow(string SeriesKey, int Percentile, double? Value);
}
