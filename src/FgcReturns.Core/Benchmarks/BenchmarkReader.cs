using FgcReturns.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.Core.Benchmarks;

/// <summary>What to load from the current build.</summary>
/// <param name="SurveyId">The survey.</param>
/// <param name="Kind">Final (accepted) or provisional.</param>
/// <param name="FocusLa">An LA whose own values (every collection) and neighbour group are loaded.</param>
/// <param name="CollectionId">The collection whose LA values are loaded for every LA (default: the latest).</param>
/// <param name="AllNeighbourGroups">Load every LA's neighbour-group aggregates (not only the focus LA's).</param>
/// <param name="AllLaValues">Load every LA's values for every collection (open data).</param>
public sealed record SnapshotRequest(
    string SurveyId,
    BenchmarkKind Kind,
    string? FocusLa = null,
    int? CollectionId = null,
    bool AllNeighbourGroups = false,
    bool AllLaValues = false);

public sealed record SnapshotCollection(int Id, string Period, DateOnly PeriodStart, string DefinitionVersion, string Title, bool Closed = true)
{
    /// <summary>LAs whose returns this build includes for the collection.</summary>
    public int IncludedLas { get; init; }

    /// <summary>The day the analysts set for publishing this year's figures (on the collection's page); null until set.</summary>
    public DateOnly? PublicationDate { get; init; }

    /// <summary>All LAs (153 in England).</summary>
    public int TotalLas { get; init; }

    /// <summary>At least the minimum coverage of LAs, and the collection is closed: figures are final.</summary>
    public bool MeetsCoverage { get; init; } = true;

    /// <summary>"provisional, based on 1 of 153 LAs", or null for a year that meets coverage and is closed.</summary>
    public string? ProvisionalLabel => MeetsCoverage && Closed
        ? null
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"provisional, based on {IncludedLas} of {TotalLas} LAs");

    /// <summary>EES time_period: "2025-26" becomes "202526".</summary>
    public string TimePeriod => Period.Replace("-", "", StringComparison.Ordinal);
}

public sealed record SnapshotLa(string Code, string OnsCode, string Name, string RegionCode, IReadOnlyList<string> Neighbours);

public sealed record SnapshotReturn(int CollectionId, string LaCode, string Status, DateTimeOffset? SubmittedAt, DateTimeOffset? AcceptedAt);

/// <summary>Everything an export or a page needs from one build, in memory.</summary>
public sealed class BenchmarkSnapshot
{
    public required BenchmarkBuild Build { get; init; }
    public required IReadOnlyList<SnapshotCollection> Collections { get; init; }
    public required IReadOnlyList<BenchmarkMeasure> Measures { get; init; }
    public required IReadOnlyList<BenchmarkLaValue> LaValues { get; init; }
    public required IReadOnlyList<BenchmarkAreaValue> AreaValues { get; init; }
    public required IReadOnlyList<SnapshotLa> LocalAuthorities { get; init; }
    public required IReadOnlyDictionary<string, string> Regions { get; init; }
    public required IReadOnlyList<SnapshotReturn> Returns { get; init; }

    /// <summary>The collection whose LA values were loaded for every LA.</summary>
    public required SnapshotCollection Collection { get; init; }

    public int Threshold => Build.SuppressionThreshold;

    public IEnumerable<BenchmarkMeasure> MeasuresOf(int collectionId) =>
        Measures.Where(m => m.CollectionId == collectionId).OrderBy(m => m.SortOrder);

    public BenchmarkMeasure? Measure(int collectionId, string measureKey) =>
        (measureIndex ??= Measures.ToDictionary(m => (m.CollectionId, m.MeasureKey))).GetValueOrDefault((collectionId, measureKey));

    public BenchmarkLaValue? LaValue(int collectionId, string laCode, string measureKey) =>
        (laIndex ??= LaValues.ToDictionary(v => (v.CollectionId, v.LaCode, v.MeasureKey))).GetValueOrDefault((collectionId, laCode, measureKey));

    public BenchmarkAreaValue? AreaValue(int collectionId, string measureKey, AreaLevel level, string areaCode) =>
        (areaIndex ??= AreaValues.ToDictionary(a => (a.CollectionId, a.MeasureKey, a.AreaLevel, a.AreaCode))).GetValueOrDefault((collectionId, measureKey, level, areaCode));

    public SnapshotLa? La(string code) => LocalAuthorities.FirstOrDefault(l => l.Code == code);

    private Dictionary<(int, string), BenchmarkMeasure>? measureIndex;
    private Dictionary<(int, string, string), BenchmarkLaValue>? laIndex;
    private Dictionary<(int, string, AreaLevel, string), BenchmarkAreaValue>? areaIndex;
}

/// <summary>Reads only the current build of a survey and kind.</summary>
public sealed class BenchmarkReader(IDbContextFactory<FgcDbContext> dbFactory, TimeProvider clock, BenchmarkOptions options)
{
    public async Task<BenchmarkBuild?> CurrentBuildAsync(string surveyId, BenchmarkKind kind, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Set<BenchmarkBuild>().AsNoTracking().SingleOrDefaultAsync(b => b.SurveyId == surveyId && b.Kind == kind && b.IsCurrent, ct);
    }

    /// <summary>The newest builds; a build still marked Running whose session has gone is marked failed first.</summary>
    public async Task<IReadOnlyList<BenchmarkBuild>> RecentBuildsAsync(int take = 20, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Database.ExecuteSqlRawAsync(BenchmarkSql.AbandonRunningWithoutHolder,
            [new Npgsql.NpgsqlParameter("finished_at", clock.GetUtcNow()), new Npgsql.NpgsqlParameter("lock_class", BenchmarkSql.LockClass),
             new Npgsql.NpgsqlParameter("lock_object", BenchmarkSql.LockObject)], ct);
        return await db.Set<BenchmarkBuild>().AsNoTracking().OrderByDescending(b => b.StartedAt).ThenByDescending(b => b.Id).Take(take).ToListAsync(ct);
    }

    /// <summary>The surveys that have collections, newest collection first.</summary>
    public async Task<IReadOnlyList<string>> SurveysAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Collections.AsNoTracking().Select(c => c.SurveyId).Distinct().OrderBy(s => s).ToListAsync(ct);
    }

    public async Task<BenchmarkSnapshot?> LoadAsync(SnapshotRequest request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var build = await db.Set<BenchmarkBuild>().AsNoTracking()
            .SingleOrDefaultAsync(b => b.SurveyId == request.SurveyId && b.Kind == request.Kind && b.IsCurrent, ct);
        if (build is null)
        {
            return null;
        }

        var measures = await db.Set<BenchmarkMeasure>().AsNoTracking().Where(m => m.BuildId == build.Id).ToListAsync(ct);
        var collectionIds = measures.Select(m => m.CollectionId).Distinct().ToList();
        // Coverage from the build being shown (not from live return statuses, which run ahead of the last build):
        // the LAs whose returns the build included, per collection.
        var included = await db.Database.SqlQuery<CollectionCoverage>($"""
            SELECT collection_id, count(DISTINCT la_code)::int AS las
            FROM benchmark_la_values WHERE build_id = {build.Id} GROUP BY collection_id
            """).ToDictionaryAsync(x => x.CollectionId, x => x.Las, ct);
        var totalLas = await db.LocalAuthorities.CountAsync(ct);
        var collections = (await db.Collections.AsNoTracking().Where(c => collectionIds.Contains(c.Id)).ToListAsync(ct))
            .OrderBy(c => c.PeriodStart)
            .Select(c => new SnapshotCollection(c.Id, c.Period, c.PeriodStart, c.DefinitionVersion, c.Title, c.Status == Collections.CollectionStatus.Closed)
            {
                IncludedLas = included.GetValueOrDefault(c.Id),
                PublicationDate = c.PublicationDate,
                TotalLas = totalLas,
                MeetsCoverage = included.GetValueOrDefault(c.Id) >= options.MinimumNationalLas(totalLas),
            })
            .ToList();
        if (collections.Count == 0)
        {
            return null;
        }

        // Without a choice: the latest year of this build that meets coverage; else the latest with any figures.
        var collection = request.CollectionId is { } id
            ? collections.FirstOrDefault(c => c.Id == id)
            : collections.LastOrDefault(c => c.MeetsCoverage && c.IncludedLas > 0)
                ?? collections.LastOrDefault(c => c.IncludedLas > 0) ?? collections[^1];
        if (collection is null)
        {
            return null;
        }

        var focus = request.FocusLa;
        var las = await db.LocalAuthorities.AsNoTracking().OrderBy(l => l.Name)
            .Select(l => new { l.Code, l.OnsCode, l.Name, l.RegionCode, Neighbours = l.Neighbours.OrderBy(n => n.Rank).Select(n => n.NeighbourLaCode).ToList() })
            .ToListAsync(ct);
        var laValues = await db.Set<BenchmarkLaValue>().AsNoTracking()
            .Where(v => v.BuildId == build.Id && (request.AllLaValues || v.CollectionId == collection.Id || (focus != null && v.LaCode == focus)))
            .ToListAsync(ct);
        var areaValues = await db.Set<BenchmarkAreaValue>().AsNoTracking()
            .Where(a => a.BuildId == build.Id && (a.AreaLevel != AreaLevel.Neighbours || request.AllNeighbourGroups || a.AreaCode == focus))
            .ToListAsync(ct);
        var statuses = await db.Returns.AsNoTracking().Where(r => collectionIds.Contains(r.CollectionId))
            .Select(r => new SnapshotReturn(r.CollectionId, r.LaCode, r.Status.ToString(), r.SubmittedAt, r.AcceptedAt)).ToListAsync(ct);
        var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct);
        return new BenchmarkSnapshot
        {
            Build = build,
            Collections = collections,
            Collection = collection,
            Measures = measures,
            LaValues = laValues,
            AreaValues = areaValues,
            LocalAuthorities = las.Select(l => new SnapshotLa(l.Code, l.OnsCode, l.Name, l.RegionCode, l.Neighbours)).ToList(),
            Regions = regions,
            Returns = statuses,
        };
    }
}

internal sealed record CollectionCoverage(int CollectionId, int Las);
