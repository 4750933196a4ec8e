using FgcReturns.Core.Benchmarks;

namespace FgcReturns.Core.Tests.Exports;

/// <summary>Small hand-made benchmark snapshots for the writers (no database).</summary>
public static class BenchmarkSnapshots
{
    public const string Hostile = "=HYPERLINK(\"http://evil.example\",\"click\")";

    /// <summary>Two years, three LAs in two regions; 2024-25 has a small count (3) for LA 887 and a hostile LA name for 856.</summary>
    public static BenchmarkSnapshot TwoYears(BenchmarkKind kind = BenchmarkKind.Final)
    {
        var old = new SnapshotCollection(1, "2023-24", new DateOnly(2023, 4, 1), "1.0", "FGC 2023-24");
        var current = new SnapshotCollection(2, "2024-25", new DateOnly(2024, 4, 1), "1.1", "FGC 2024-25");
        var measures = new List<BenchmarkMeasure>();
        foreach (var (c, heldKey) in new[] { (old.Id, "fgcs_held"), (current.Id, "initial_fgcs_held") })
        {
            measures.Add(Measure(c, "families_accepted", "families_accepted", MeasureKind.Count, "Families who agreed to an FGC", "families", 0));
            measures.Add(Measure(c, heldKey, "initial_fgcs_held", MeasureKind.Count, "Initial FGCs held", "families", 1));
            measures.Add(Measure(c, "coordinators_fte", "coordinators_fte", MeasureKind.Decimal, "FGC coordinators (FTE)", "fte", 2));
            measures.Add(new BenchmarkMeasure
            {
                BuildId = 7,
                CollectionId = c,
                MeasureKey = "conversion_rate",
                SeriesKey = "conversion_rate",
                Kind = MeasureKind.Indicator,
                Label = "Agreed FGCs that were held",
                Unit = "% of families who agreed",
                Section = "Indicators",
                Numerator = heldKey,
                Denominator = "families_accepted",
                Multiplier = 100,
                HigherIs = "Better",
                SortOrder = 3,
            });
        }

        var la = new List<BenchmarkLaValue>
        {
            Value(2, "887", "families_accepted", 3, small: true, rank: 3),
            Value(2, "855", "families_accepted", 40, rank: 1),
            Value(2, "856", "families_accepted", 20, rank: 2),
            Value(2, "887", "initial_fgcs_held", 3, small: true, rank: 3),
            Value(2, "855", "initial_fgcs_held", 36, rank: 1),
            Value(2, "856", "initial_fgcs_held", 10, rank: 2),
            Value(2, "887", "coordinators_fte", 2.5m, rank: 2),
            new() { BuildId = 7, CollectionId = 2, LaCode = "855", MeasureKey = "coordinators_fte", SeriesKey = "coordinators_fte", State = ValueState.NotRecorded },
            Value(2, "856", "coordinators_fte", 4, rank: 1),
            Value(2, "887", "conversion_rate", 100, small: true, rank: 1),
            Value(2, "855", "conversion_rate", 90, rank: 2),
            Value(2, "856", "conversion_rate", 50, rank: 3),
        };
        var areas = new List<BenchmarkAreaValue>
        {
            Area(2, "families_accepted", AreaLevel.National, "E92000001", total: 63, median: 20, min: 3, max: 40, reporting: 3),
            Area(2, "initial_fgcs_held", AreaLevel.National, "E92000001", total: 49, median: 10, min: 3, max: 36, reporting: 3),
            Area(2, "coordinators_fte", AreaLevel.National, "E92000001", median: 3.25m, min: 2.5m, max: 4, reporting: 2, notRecorded: 1, lowerQuartile: 2.875m, upperQuartile: 3.625m),
            Area(2, "conversion_rate", AreaLevel.National, "E92000001", rate: 49m / 63m * 100m, numerator: 49, denominator: 63, median: 90, min: 50, max: 100, publicMin: 50, publicMax: 90, reporting: 3, small: 1, lowerQuartile: 70, upperQuartile: 95),
            Area(2, "families_accepted", AreaLevel.Regional, "E12000008", total: 3, median: 3, min: 3, max: 3, reporting: 1),
            Area(2, "families_accepted", AreaLevel.Regional, "E12000004", total: 60, median: 30, min: 20, max: 40, reporting: 2),
            Area(2, "families_accepted", AreaLevel.Neighbours, "887", total: 60, median: 30, min: 20, max: 40, reporting: 2),
            Area(1, "families_accepted", AreaLevel.National, "E92000001", total: 50, median: 25, min: 10, max: 40, reporting: 2),
            Area(1, "fgcs_held", AreaLevel.National, "E92000001", total: 45, median: 22.5m, min: 10, max: 35, reporting: 2),
        };
        return new BenchmarkSnapshot
        {
            Build = new BenchmarkBuild
            {
                Id = 7,
                SurveyId = "fgc-annual",
                Kind = kind,
                Status = BenchmarkBuildStatus.Succeeded,
                IsCurrent = true,
                StartedAt = new DateTimeOffset(2025, 7, 1, 2, 30, 0, TimeSpan.Zero),
                FinishedAt = new DateTimeOffset(2025, 7, 1, 2, 30, 2, TimeSpan.Zero),
                SuppressionThreshold = 4,
                SeriesVersion = "1.1",
            },
            Collections = [old, current],
            Collection = current,
            Measures = measures,
            LaValues = la,
            AreaValues = areas,
            LocalAuthorities =
            [
                new SnapshotLa("887", "E06000035", "Medway", "E12000008", ["855", "856"]),
                new SnapshotLa("855", "E10000018", "Leicestershire", "E12000004", ["856", "887"]),
                new SnapshotLa("856", "E06000016", Hostile, "E12000004", ["855", "887"]),
                new SnapshotLa("301", "E09000002", "Barking and Dagenham", "E12000007", []),
            ],
            Regions = new Dictionary<string, string> { ["E12000004"] = "East Midlands", ["E12000007"] = "London", ["E12000008"] = "South East" },
            Returns =
            [
                new SnapshotReturn(2, "887", "Accepted", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
                new SnapshotReturn(2, "855", "Accepted", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
                new SnapshotReturn(2, "856", "Accepted", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch),
                new SnapshotReturn(2, "301", "InProgress", null, null),
            ],
        };
    }

    private static BenchmarkMeasure Measure(int collection, string key, string series, MeasureKind kind, string label, string unit, int order) => new()
    {
        BuildId = 7,
        CollectionId = collection,
        MeasureKey = key,
        SeriesKey = series,
        Kind = kind,
        Label = label,
        Unit = unit,
        Section = "Conferences",
        SortOrder = order,
    };

    private static BenchmarkLaValue Value(int collection, string la, string key, decimal value, bool small = false, int rank = 1) => new()
    {
        BuildId = 7,
        CollectionId = collection,
        LaCode = la,
        MeasureKey = key,
        SeriesKey = key,
        State = ValueState.Value,
        Value = value,
        Small = small,
        Rank = rank,
        RankOf = 3,
        Quartile = ((rank - 1) * 4 / 3) + 1,
    };

    private static BenchmarkAreaValue Area(int collection, string key, AreaLevel level, string code, decimal? total = null, decimal? rate = null,
        decimal? numerator = null, decimal? denominator = null, decimal? median = null, decimal? min = null, decimal? max = null,
        decimal? publicMin = null, decimal? publicMax = null, int reporting = 0, int notRecorded = 0, int small = 0,
        decimal? lowerQuartile = null, decimal? upperQuartile = null) => new()
        {
            BuildId = 7,
            CollectionId = collection,
            MeasureKey = key,
            SeriesKey = key == "fgcs_held" ? "initial_fgcs_held" : key,
            AreaLevel = level,
            AreaCode = code,
            Total = total,
            Rate = rate,
            NumeratorTotal = numerator,
            DenominatorTotal = denominator,
            Mean = median,
            Median = median,
            LowerQuartile = lowerQuartile ?? median,
            UpperQuartile = upperQuartile ?? median,
            Min = min,
            Max = max,
            PublicMin = publicMin ?? min,
            PublicMax = publicMax ?? max,
            ReportingCount = reporting,
            NotRecordedCount = notRecorded,
            SmallCount = small,
        };
}
