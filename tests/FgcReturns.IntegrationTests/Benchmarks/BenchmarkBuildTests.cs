using System.Globalization;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Returns;
using FgcReturns.Core.SurveyDefinitions;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace FgcReturns.IntegrationTests.Benchmarks;

public sealed class BenchmarkBuildTests(DatabaseServerFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_RandomReturnsOverTwoVersions_MatchesIndependentCalculation()
    {
        // Arrange: 2023-24 on 1.0 and 2024-25 on 1.1, returns in every status, with small counts, zeros,
        // not recorded and unanswered items.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var rng = new Random(20261123);
        List<(string Code, string Region)> las;
        Dictionary<string, List<string>> neighbours;
        List<(string LaCode, int Year, int Population)> populations;
        await using (var db = host.CreateDb())
        {
            las = (await db.LocalAuthorities.OrderBy(l => l.Code).Select(l => new { l.Code, l.RegionCode }).ToListAsync(Ct)).Select(l => (l.Code, l.RegionCode)).ToList();
            neighbours = (await db.StatisticalNeighbours.ToListAsync(Ct)).GroupBy(n => n.LaCode).ToDictionary(g => g.Key, g => g.Select(n => n.NeighbourLaCode).ToList());
            populations = (await db.ChildPopulations.ToListAsync(Ct)).Select(p => (p.LaCode, p.Year, p.Population)).ToList();
        }

        var years = new[] { (Year: 2023, Version: "1.0"), (Year: 2024, Version: "1.1") };
        var accepted = new Dictionary<(int Collection, string La), IReadOnlyDictionary<string, string?>>();
        var collections = new List<(int Id, int Year, SurveyDefinition Definition)>();
        foreach (var (year, version) in years)
        {
            var definition = host.Catalog.Get(BenchmarkTestHost.SurveyId, version)!;
            var id = await host.AddCollectionAsync(year, version);
            collections.Add((id, year, definition));
            var returns = new List<(string, ReturnStatus, IReadOnlyDictionary<string, string?>)>();
            for (var i = 0; i < las.Count; i++)
            {
                var status = ((i + year) % 10) switch
                {
                    0 => (ReturnStatus?)null,
                    1 => ReturnStatus.Submitted,
                    2 => ReturnStatus.InProgress,
                    3 => ReturnStatus.ReturnedForAmendment,
                    _ => ReturnStatus.Accepted,
                };
                if (status is null)
                {
                    continue;
                }

                var values = RandomValues(rng, definition);
                returns.Add((las[i].Code, status.Value, values));
                if (status == ReturnStatus.Accepted)
                {
                    accepted[(id, las[i].Code)] = values;
                }
            }

            await host.AddReturnsAsync(id, returns);
        }

        // Act
        var result = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);

        // Assert
        result.Outcome.ShouldBe(BuildOutcome.Succeeded, result.Error);
        await using var check = host.CreateDb();
        var build = await check.Set<BenchmarkBuild>().SingleAsync(b => b.IsCurrent, Ct);
        build.Id.ShouldBe(result.BuildId!.Value);
        build.Status.ShouldBe(BenchmarkBuildStatus.Succeeded);
        build.SeriesVersion.ShouldBe("1.1");
        var laRows = await check.Set<BenchmarkLaValue>().Where(v => v.BuildId == build.Id).ToListAsync(Ct);
        var areaRows = (await check.Set<BenchmarkAreaValue>().Where(a => a.BuildId == build.Id).ToListAsync(Ct))
            .ToDictionary(a => (a.CollectionId, a.MeasureKey, a.AreaLevel, a.AreaCode));
        var laIndex = laRows.ToDictionary(v => (v.CollectionId, v.LaCode, v.MeasureKey));
        build.LaRowCount.ShouldBe(laRows.Count);
        build.AreaRowCount.ShouldBe(areaRows.Count);

        var checkedAreas = 0;
        foreach (var (collectionId, year, definition) in collections)
        {
            var inCollection = accepted.Where(a => a.Key.Collection == collectionId).ToDictionary(a => a.Key.La, a => a.Value);
            var population = las.ToDictionary(l => l.Code, l => populations.Where(p => p.LaCode == l.Code && p.Year <= year)
                .OrderByDescending(p => p.Year).Select(p => (decimal?)p.Population).FirstOrDefault());
            var measures = ExpectedBenchmarks.Measures(definition);
            laRows.Count(v => v.CollectionId == collectionId).ShouldBe(inCollection.Count * measures.Count);
            foreach (var measure in measures)
            {
                var figures = inCollection.ToDictionary(r => r.Key, r => ExpectedBenchmarks.La(measure, r.Value, population[r.Key]));
                var reported = figures.Values.Where(f => f.State == "Value").Select(f => f.Value!.Value).ToList();
                foreach (var (la, expected) in figures)
                {
                    var row = laIndex[(collectionId, la, measure.Key)];
                    var where = $"{measure.Key} for LA {la} in {year}";
                    row.State.ToString().ShouldBe(expected.State, where);
                    ShouldBeClose(row.Value, expected.Value, where);
                    if (expected.State == "Value")
                    {
                        var (rank, of, quartile) = ExpectedBenchmarks.Rank(expected.Value!.Value, reported, measure.Indicator?.HigherIs == HigherIs.Worse);
                        row.Rank.ShouldBe(rank, where);
                        row.RankOf.ShouldBe(of, where);
                        row.Quartile.ShouldBe(quartile, where);
                    }
                    else
                    {
                        row.Rank.ShouldBeNull(where);
                    }
                }

                var groups = new List<(AreaLevel Level, string Code, IEnumerable<string> Members)>
                {
                    (AreaLevel.National, "E92000001", figures.Keys),
                };
                groups.AddRange(las.GroupBy(l => l.Region).Select(g => (AreaLevel.Regional, g.Key, g.Select(l => l.Code))));
                groups.AddRange(neighbours.Select(n => (AreaLevel.Neighbours, n.Key, (IEnumerable<string>)n.Value)));
                foreach (var (level, code, members) in groups)
                {
                    var memberFigures = members.Where(figures.ContainsKey).Select(m => figures[m]).ToList();
                    if (memberFigures.Count == 0)
                    {
                        areaRows.ContainsKey((collectionId, measure.Key, level, code)).ShouldBeFalse();
                        continue;
                    }

                    var expected = ExpectedBenchmarks.Area(measure, memberFigures);
                    var actual = areaRows[(collectionId, measure.Key, level, code)];
                    var where = $"{measure.Key} for {level} {code} in {year}";
                    actual.ReportingCount.ShouldBe(expected.Reporting, where);
                    actual.NotRecordedCount.ShouldBe(expected.NotRecorded, where);
                    ShouldBeClose(actual.Total, expected.Total, where + " total");
                    ShouldBeClose(actual.NumeratorTotal, expected.NumeratorTotal, where + " numerator");
                    ShouldBeClose(actual.DenominatorTotal, expected.DenominatorTotal, where + " denominator");
                    ShouldBeClose(actual.Rate, expected.Rate, where + " rate");
                    ShouldBeClose(actual.Mean, expected.Mean, where + " mean");
                    ShouldBeClose(actual.Median, (decimal?)expected.Median, where + " median");
                    ShouldBeClose(actual.LowerQuartile, (decimal?)expected.LowerQuartile, where + " lower quartile");
                    ShouldBeClose(actual.UpperQuartile, (decimal?)expected.UpperQuartile, where + " upper quartile");
                    ShouldBeClose(actual.Min, expected.Min, where + " min");
                    ShouldBeClose(actual.Max, expected.Max, where + " max");
                    checkedAreas++;
                }
            }
        }

        checkedAreas.ShouldBe(areaRows.Count);
    }

    [Fact]
    public async Task Build_KnownValues_MediansAndQuartilesInterpolateForEvenAndOddCounts()
    {
        // Arrange: 4 reporting LAs (even), one not recorded, one unanswered.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(collection,
        [
            (TestData.Medway, ReturnStatus.Accepted, Values(("referrals_children", "10"), ("families_offered", "2"), ("families_accepted", "1"))),
            ("855", ReturnStatus.Accepted, Values(("referrals_children", "40"), ("families_offered", "100"), ("families_accepted", "30"))),
            ("856", ReturnStatus.Accepted, Values(("referrals_children", "20"))),
            ("301", ReturnStatus.Accepted, Values(("referrals_children", "30"))),
            ("302", ReturnStatus.Accepted, Values(("referrals_children", null))),
            ("303", ReturnStatus.Accepted, Values()),
        ]);

        // Act
        var first = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        var even = await National(host, first.BuildId!.Value, collection);
        await host.AddReturnsAsync(collection, [("304", ReturnStatus.Accepted, Values(("referrals_children", "100")))]);
        var second = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        var odd = await National(host, second.BuildId!.Value, collection);

        // Assert
        var referrals = even["referrals_children"];
        (referrals.ReportingCount, referrals.NotRecordedCount).ShouldBe((4, 1));
        (referrals.Total, referrals.Mean, referrals.Min, referrals.Max).ShouldBe((100m, 25m, 10m, 40m));
        (referrals.Median, referrals.LowerQuartile, referrals.UpperQuartile).ShouldBe((25m, 17.5m, 32.5m));
        var oddReferrals = odd["referrals_children"];
        oddReferrals.ReportingCount.ShouldBe(5);
        (oddReferrals.Median, oddReferrals.LowerQuartile, oddReferrals.UpperQuartile).ShouldBe((30m, 20m, 40m));

        // England's rate is summed numerators over summed denominators (31 / 102), not the mean of 50% and 30%.
        var acceptance = even["acceptance_rate"];
        (acceptance.NumeratorTotal, acceptance.DenominatorTotal).ShouldBe((31m, 102m));
        acceptance.Rate!.Value.ShouldBe(31m / 102m * 100m, 0.0000001m);
        acceptance.Mean.ShouldBe(40m);
        acceptance.SmallCount.ShouldBe(1);
        acceptance.PublicMin.ShouldBe(30m);
        acceptance.Min.ShouldBe(30m);
        acceptance.Max.ShouldBe(50m);
        acceptance.PublicMax.ShouldBe(30m);
    }

    [Fact]
    public async Task Build_SmallCounts_AreSuppressedForOthersButNotForAnalysts()
    {
        // Arrange: Medway's 3 families accepted (small) out of 50; Leicestershire's 20 out of 40. Two LAs are far
        // below the coverage at which England is shown, so the coverage rule is switched off to see suppression alone.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        host.Get<BenchmarkOptions>().MinimumCoverage = 0;
        host.Get<BenchmarkOptions>().MinimumAreaLas = 1;
        var collection = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(collection,
        [
            (TestData.Medway, ReturnStatus.Accepted, Values(("families_offered", "50"), ("families_accepted", "3"), ("referrals_children", "0"))),
            ("855", ReturnStatus.Accepted, Values(("families_offered", "40"), ("families_accepted", "20"), ("referrals_children", "0"))),
        ]);

        // Act
        var build = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        var snapshot = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, FocusLa: TestData.Medway), Ct))!;

        // Assert
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        var count = snapshot.LaValue(collection, TestData.Medway, "families_accepted");
        var rate = snapshot.LaValue(collection, TestData.Medway, "acceptance_rate");
        var zero = snapshot.LaValue(collection, TestData.Medway, "referrals_children");
        DisclosureControl.La(count, DisclosureView.Suppressed).Symbol.ShouldBe("c");
        DisclosureControl.La(rate, DisclosureView.Suppressed).Symbol.ShouldBe("c");
        DisclosureControl.La(zero, DisclosureView.Suppressed).Number.ShouldBe(0m);
        DisclosureControl.La(count, DisclosureView.Unsuppressed).Number.ShouldBe(3m);
        DisclosureControl.La(rate, DisclosureView.Unsuppressed).Number.ShouldBe(6m);
        DisclosureControl.ShowsRank(rate, DisclosureView.Suppressed).ShouldBeFalse();
        var england = snapshot.AreaValue(collection, "families_accepted", AreaLevel.National, "E92000001");
        // With two LAs, England's 23 would let Medway (which knows its own 3) work out Leicestershire's 20: hidden.
        DisclosureControl.Area(england, MeasureKind.Count, DisclosureControl.Statistic.Total, snapshot.Threshold, DisclosureView.Suppressed).Symbol.ShouldBe("c");
        DisclosureControl.Area(england, MeasureKind.Count, DisclosureControl.Statistic.Min, snapshot.Threshold, DisclosureView.Suppressed).Symbol.ShouldBe("c");
        var englandRate = snapshot.AreaValue(collection, "acceptance_rate", AreaLevel.National, "E92000001");
        // England 23 = Medway's 3 + Leicestershire's 20: Leicestershire's 20 is hidden too (secondary suppression).
        DisclosureControl.La(snapshot.LaValue(collection, "855", "families_accepted"), DisclosureView.Suppressed).Symbol.ShouldBe("c");
        DisclosureControl.Area(englandRate, MeasureKind.Indicator, DisclosureControl.Statistic.Min, snapshot.Threshold, DisclosureView.Suppressed).Symbol.ShouldBe("c");
        DisclosureControl.Area(englandRate, MeasureKind.Indicator, DisclosureControl.Statistic.Median, snapshot.Threshold, DisclosureView.Suppressed).Symbol.ShouldBe("c");
        // The rate 23/90 would give Medway the same 20, so it is hidden too.
        DisclosureControl.Area(englandRate, MeasureKind.Indicator, DisclosureControl.Statistic.Rate, snapshot.Threshold, DisclosureView.Suppressed).Symbol.ShouldBe("c");
        DisclosureControl.Area(englandRate, MeasureKind.Indicator, DisclosureControl.Statistic.Rate, snapshot.Threshold, DisclosureView.Unsuppressed).Number!.Value.ShouldBe(23m / 90m * 100m, 0.0000001m);
        var notRecorded = snapshot.LaValue(collection, TestData.Medway, "offered_pre_proceedings");
        DisclosureControl.La(notRecorded, DisclosureView.Suppressed).Symbol.ShouldBe("x");
    }

    [Fact]
    public async Task Build_RenamedItem_LinesUpAcrossVersionsUnderTheNewestKey()
    {
        // Arrange
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var old = await host.AddCollectionAsync(2023, "1.0");
        var current = await host.AddCollectionAsync(2024, "1.1");
        await host.AddReturnsAsync(old, [(TestData.Medway, ReturnStatus.Accepted, Values(("fgcs_held", "30")))]);
        await host.AddReturnsAsync(current, [(TestData.Medway, ReturnStatus.Accepted, Values(("initial_fgcs_held", "36")))]);

        // Act
        var result = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);

        // Assert
        await using var db = host.CreateDb();
        var series = await db.Set<BenchmarkAreaValue>()
            .Where(a => a.BuildId == result.BuildId && a.SeriesKey == "initial_fgcs_held" && a.AreaLevel == AreaLevel.National)
            .OrderBy(a => a.CollectionId).Select(a => new { a.CollectionId, a.MeasureKey, a.Total }).ToListAsync(Ct);
        series.Select(s => (s.CollectionId, s.MeasureKey, s.Total)).ShouldBe([(old, "fgcs_held", 30m), (current, "initial_fgcs_held", 36m)]);
        var oldMeasure = await db.Set<BenchmarkMeasure>().SingleAsync(m => m.BuildId == result.BuildId && m.CollectionId == old && m.MeasureKey == "fgcs_held", Ct);
        oldMeasure.SeriesKey.ShouldBe("initial_fgcs_held");
        var fgdm = await db.Set<BenchmarkMeasure>().Where(m => m.BuildId == result.BuildId && m.SeriesKey == "fgdm_offered").Select(m => m.CollectionId).ToListAsync(Ct);
        fgdm.ShouldBe([current]);
    }

    [Fact]
    public async Task Build_Provisional_IncludesSubmittedReturnsAndFinalDoesNot()
    {
        // Arrange
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(collection,
        [
            (TestData.Medway, ReturnStatus.Accepted, Values(("referrals_children", "10"))),
            ("855", ReturnStatus.Submitted, Values(("referrals_children", "20"))),
            ("856", ReturnStatus.InProgress, Values(("referrals_children", "40"))),
        ]);

        // Act
        await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Provisional, BenchmarkTrigger.OnDemand, ct: Ct);

        // Assert
        var final = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final), Ct))!;
        var provisional = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Provisional), Ct))!;
        final.AreaValue(collection, "referrals_children", AreaLevel.National, "E92000001")!.Total.ShouldBe(10m);
        provisional.AreaValue(collection, "referrals_children", AreaLevel.National, "E92000001")!.Total.ShouldBe(30m);
        final.Build.Id.ShouldNotBe(provisional.Build.Id);
    }

    [Fact]
    public async Task Build_FailingBuild_LeavesThePreviousBuildCurrent()
    {
        // Arrange: a good build, then the database refuses the next build's aggregates.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(collection, [(TestData.Medway, ReturnStatus.Accepted, Values(("referrals_children", "10")))]);
        var good = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        await host.ExecuteAsync("""
            CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk full (test)'; END $$;
            CREATE TRIGGER test_refuse BEFORE INSERT ON benchmark_area_values FOR EACH STATEMENT EXECUTE FUNCTION test_refuse();
            """);

        // Act
        var bad = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);

        // Assert
        bad.Outcome.ShouldBe(BuildOutcome.Failed);
        await using var db = host.CreateDb();
        var builds = await db.Set<BenchmarkBuild>().OrderBy(b => b.Id).ToListAsync(Ct);
        builds.Select(b => (b.Id, b.Status, b.IsCurrent)).ShouldBe([(good.BuildId!.Value, BenchmarkBuildStatus.Succeeded, true), (bad.BuildId!.Value, BenchmarkBuildStatus.Failed, false)]);
        builds[1].Error.ShouldNotBeNull().ShouldContain("disk full (test)");
        builds[1].FinishedAt.ShouldNotBeNull();
        (await db.Set<BenchmarkLaValue>().CountAsync(v => v.BuildId == bad.BuildId, Ct)).ShouldBe(0);
        var current = await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final), Ct);
        current!.Build.Id.ShouldBe(good.BuildId!.Value);
        current.AreaValue(collection, "referrals_children", AreaLevel.National, "E92000001")!.Total.ShouldBe(10m);
    }

    [Fact]
    public async Task Build_OnePartitionFails_MarksTheBuildFailedAndDeletesEveryPartitionsRows()
    {
        // Arrange: two collections, so two partitions; after a good build, the database refuses one collection's LA rows.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server, parallelism: 2);
        var first = await host.AddCollectionAsync(2023, "1.0");
        var second = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(first, [(TestData.Medway, ReturnStatus.Accepted, Values(("referrals_children", "10")))]);
        await host.AddReturnsAsync(second, [(TestData.Medway, ReturnStatus.Accepted, Values(("referrals_children", "20")))]);
        var good = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        await host.ExecuteAsync(string.Create(CultureInfo.InvariantCulture, $"""
            CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'partition refused (test)'; END $$;
            CREATE TRIGGER test_refuse BEFORE INSERT ON benchmark_la_values FOR EACH ROW WHEN (NEW.collection_id = {second}) EXECUTE FUNCTION test_refuse();
            """));

        // Act
        var bad = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);

        // Assert: no rows of the failed build in any table (the other partition may have committed before the failure).
        good.Outcome.ShouldBe(BuildOutcome.Succeeded);
        good.Steps.ShouldContain(s => s.Step == "Partitions (2)");
        bad.Outcome.ShouldBe(BuildOutcome.Failed);
        bad.Error.ShouldNotBeNull().ShouldContain("partition refused (test)");
        await using var db = host.CreateDb();
        var builds = await db.Set<BenchmarkBuild>().OrderBy(b => b.Id).ToListAsync(Ct);
        builds.Select(b => (b.Id, b.Status, b.IsCurrent)).ShouldBe([(good.BuildId!.Value, BenchmarkBuildStatus.Succeeded, true), (bad.BuildId!.Value, BenchmarkBuildStatus.Failed, false)]);
        (await db.Set<BenchmarkLaValue>().CountAsync(v => v.BuildId == bad.BuildId, Ct)).ShouldBe(0);
        (await db.Set<BenchmarkAreaValue>().CountAsync(v => v.BuildId == bad.BuildId, Ct)).ShouldBe(0);
        (await db.Set<BenchmarkMeasure>().CountAsync(v => v.BuildId == bad.BuildId, Ct)).ShouldBe(0);
        var current = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final), Ct))!;
        current.Build.Id.ShouldBe(good.BuildId!.Value);
        current.AreaValue(first, "referrals_children", AreaLevel.National, "E92000001")!.Total.ShouldBe(10m);
        current.AreaValue(second, "referrals_children", AreaLevel.National, "E92000001")!.Total.ShouldBe(20m);
    }

    [Fact]
    public async Task Build_WhileAnotherBuildHoldsTheLock_DoesNotStart()
    {
        // Arrange: another process holds the build lock.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await host.AddCollectionAsync(2024, "1.0");
        await host.AddReturnsAsync(collection, [(TestData.Medway, ReturnStatus.Accepted, Values(("referrals_children", "10")))]);
        await using var other = new NpgsqlConnection(host.ConnectionString);
        await other.OpenAsync(Ct);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(1179075394, 1)", other))
        {
            await take.ExecuteScalarAsync(Ct);
        }

        // Act
        var blocked = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        await other.CloseAsync();
        var after = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);

        // Assert
        blocked.Outcome.ShouldBe(BuildOutcome.AlreadyRunning);
        after.Outcome.ShouldBe(BuildOutcome.Succeeded);
    }

    [Fact]
    public async Task RequestBuild_TwoAcceptancesInAMinute_ScheduleOneDelayedJob()
    {
        // Arrange
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await host.AddCollectionAsync(2024, "1.0");

        // Act
        var first = await host.Scheduler.RequestBuild(collection, Ct);
        host.Clock.Advance(TimeSpan.FromSeconds(20));
        var second = await host.Scheduler.RequestBuild(collection, Ct);

        // Assert
        (first, second).ShouldBe((true, false));
        host.Jobs.Created.Count.ShouldBe(1);
        var (id, job, state) = host.Jobs.Created[0];
        job.Method.Name.ShouldBe(nameof(Core.Benchmarks.BenchmarkJobs.RunRequestedAsync));
        state.ShouldBeOfType<Hangfire.States.ScheduledState>();
        await using var db = host.CreateDb();
        var pending = await db.Set<BenchmarkBuildRequest>().SingleAsync(Ct);
        (pending.SurveyId, pending.JobId).ShouldBe((BenchmarkTestHost.SurveyId, id));
    }

    private static async Task<Dictionary<string, BenchmarkAreaValue>> National(BenchmarkTestHost host, long buildId, int collection)
    {
        await using var db = host.CreateDb();
        return await db.Set<BenchmarkAreaValue>()
            .Where(a => a.BuildId == buildId && a.CollectionId == collection && a.AreaLevel == AreaLevel.National)
            .ToDictionaryAsync(a => a.MeasureKey, Ct);
    }

    private static Dictionary<string, string?> Values(params (string Key, string? Value)[] values) =>
        values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);

    private static Dictionary<string, string?> RandomValues(Random rng, SurveyDefinition definition)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var q in definition.Questions.Where(q => q.IsNumeric || q.Type == QuestionType.CountGrid))
        {
            foreach (var key in q.ValueKeys)
            {
                var roll = rng.Next(100);
                if (roll < 8)
                {
                    continue; // not answered
                }

                values[key] = roll switch
                {
                    < 14 => null, // not recorded
                    < 24 => rng.Next(1, 5).ToString(CultureInfo.InvariantCulture), // small
                    < 28 => "0",
                    _ when q.Type == QuestionType.Decimal => (rng.Next(1, 400) / 10m).ToString("0.#", CultureInfo.InvariantCulture),
                    _ => rng.Next(5, 400).ToString(CultureInfo.InvariantCulture),
                };
            }
        }

        return values;
    }

    private static void ShouldBeClose(decimal? actual, decimal? expected, string where)
    {
        if (expected is null)
        {
            actual.ShouldBeNull(where);
            return;
        }

        actual.ShouldNotBeNull(where);
        Math.Abs(actual.Value - expected.Value).ShouldBeLessThanOrEqualTo(0.000001m * Math.Max(1m, Math.Abs(expected.Value)), where);
    }
}
