using System.Globalization;
using FgcReturns.Core.Benchmarks;
using FgcReturns.Core.Data;
using FgcReturns.Core.Demo;
using FgcReturns.Core.Exports;
using FgcReturns.Core.Returns;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;

namespace FgcReturns.IntegrationTests.Benchmarks;

/// <summary>
/// Secondary suppression and the disclosure audit on a demo-like build (every LA with the demo's synthetic return),
/// checked as a reader would: from the open-data CSV itself, try to work out each suppressed count.
/// </summary>
public sealed class DisclosureBuildTests(DatabaseServerFixture database)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Build_DemoLikeReturns_NothingSuppressedCanBeWorkedOutFromTheOpenData()
    {
        // Arrange
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await AddDemoLikeYearAsync(host, 2024);

        // Act
        var build = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        var csv = await host.Get<BenchmarkExports>().OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: false, ct: Ct);

        // Assert: the build ran secondary suppression and the audit passed it.
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        build.Steps.Select(s => s.Step).ShouldContain("Disclosure audit");
        await using (var db = host.CreateDb())
        {
            (await db.Set<BenchmarkLaValue>().CountAsync(v => v.BuildId == build.BuildId && v.Suppressed && !v.Small, Ct)).ShouldBeGreaterThan(0);
        }

        var definition = host.Catalog.Get(BenchmarkTestHost.SurveyId, "1.0")!;
        var rows = Wide(ReadCsv(csv!.Content), definition);
        var recovered = ReaderRecoveries(rows, definition, "202425");
        recovered.ShouldBeEmpty();
        rows.Count(r => r["geographic_level"] == "Local authority" && r.Values.Contains("c")).ShouldBeGreaterThan(10);
        _ = collection;
    }

    [Fact]
    public async Task Build_SecondarySuppressionSwitchedOff_AuditFindsTheLeaksFailsTheBuildAndThePreviousStaysCurrent()
    {
        // Arrange: a good build; then the same data built with primary suppression only.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        await AddDemoLikeYearAsync(host, 2024);
        var good = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        var goodCsv = await host.Get<BenchmarkExports>().OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: false, ct: Ct);
        host.Get<BenchmarkOptions>().SecondarySuppression = false;

        // Act
        var leaky = await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);

        // Assert: failed with the kinds of leak issue 11 found (row totals, E08, area totals); the good build is current.
        good.Outcome.ShouldBe(BuildOutcome.Succeeded, good.Error);
        leaky.Outcome.ShouldBe(BuildOutcome.Failed);
        leaky.Error.ShouldNotBeNull().ShouldContain("disclosure audit recovered");
        var current = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final), Ct))!;
        current.Build.Id.ShouldBe(good.BuildId!.Value);
        var after = await host.Get<BenchmarkExports>().OpenDataAsync(BenchmarkTestHost.SurveyId, metadata: false, ct: Ct);
        after!.Content.ShouldBe(goodCsv!.Content);
    }

    [Fact]
    public async Task Audit_PrimarySuppressionOnlyOnTheDemoLikeBuild_RecoversCountsFromRowTotalsRuleE08AndAreaTotals()
    {
        // Arrange: the rows of a good build, with only primary suppression applied.
        await using var host = await BenchmarkTestHost.StartAsync(database.Server);
        var collection = await AddDemoLikeYearAsync(host, 2024);
        await host.Builder.BuildAsync(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: Ct);
        var s = (await host.Reader.LoadAsync(new SnapshotRequest(BenchmarkTestHost.SurveyId, BenchmarkKind.Final, AllLaValues: true, AllNeighbourGroups: true), Ct))!;
        var definition = host.Catalog.Get(BenchmarkTestHost.SurveyId, "1.0")!;
        var measures = BenchmarkMeasures.For(collection, definition, definition);
        var las = s.LocalAuthorities.Select(l => new DisclosureLa(l.Code, l.RegionCode, l.Neighbours)).ToList();
        var laValues = s.LaValues.Select(v => new DisclosureLaValue
        {
            CollectionId = v.CollectionId,
            LaCode = v.LaCode,
            MeasureKey = v.MeasureKey,
            State = v.State,
            Value = v.Value,
            Denominator = v.Denominator,
            Small = v.Small,
        }).ToList();
        var areaValues = s.AreaValues.Select(a => new DisclosureAreaValue
        {
            CollectionId = a.CollectionId,
            MeasureKey = a.MeasureKey,
            Level = a.AreaLevel,
            AreaCode = a.AreaCode,
            Total = a.Total,
            Rate = a.Rate,
            Mean = a.Mean,
            NumeratorTotal = a.NumeratorTotal,
            DenominatorTotal = a.DenominatorTotal,
            ReportingCount = a.ReportingCount,
        }).ToList();
        var collections = new[] { new DisclosureCollection(collection, TestData.PreviousPeriod, definition, measures) };

        // Act
        var leaks = BenchmarkDisclosure.Protect(collections, las, laValues, areaValues, 4, secondary: false);
        var audited = BenchmarkDisclosure.Audit(collections, las, laValues, areaValues);

        // Assert: each recovered value is the LA's true, suppressed value.
        leaks.ShouldNotBeEmpty();
        audited.Count.ShouldBeGreaterThanOrEqualTo(leaks.Count);
        leaks.ShouldContain(l => l.Relation.Contains("adds up to", StringComparison.Ordinal));
        leaks.ShouldContain(l => l.Relation.Contains("rule E08", StringComparison.Ordinal));
        leaks.ShouldContain(l => l.Relation.Contains("Regional", StringComparison.Ordinal) || l.Relation.Contains("National", StringComparison.Ordinal));
        var truth = laValues.ToDictionary(v => $"2024-25 {v.LaCode} {v.MeasureKey}");
        foreach (var leak in leaks.Where(l => truth.ContainsKey(l.Cell)))
        {
            leak.Value.ShouldBe(truth[leak.Cell].Value!.Value, 0.0001m, leak.ToString());
        }
    }

    internal static async Task<int> AddDemoLikeYearAsync(BenchmarkTestHost host, int year)
    {
        var collection = await host.AddCollectionAsync(year, "1.0");
        var definition = host.Catalog.Get(BenchmarkTestHost.SurveyId, "1.0")!;
        await using var db = host.CreateDb();
        var populations = await db.ChildPopulations.Where(p => p.Year == 2024).ToDictionaryAsync(p => p.LaCode, p => p.Population, Ct);
        var las = await db.LocalAuthorities.OrderBy(l => l.Code).Select(l => l.Code).ToListAsync(Ct);
        await host.AddReturnsAsync(collection, las.Select(code => (code, ReturnStatus.Accepted,
            (IReadOnlyDictionary<string, string?>)SyntheticReturnGenerator.Generate(definition, populations.GetValueOrDefault(code, 40_000),
                int.Parse(code, CultureInfo.InvariantCulture) + year))));
        return collection;
    }

    /// <summary>
    /// The tidy file back to one row per place and year, as a reader pivoting it would: the Total row's indicators by
    /// name, and each breakdown row's figure under its grid cell key (the grid's label and row label identify it) or, for
    /// the parts of a sum rule (the outcomes), under the part's item key (its section title and label identify it).
    /// </summary>
    private static List<Dictionary<string, string>> Wide(List<Dictionary<string, string>> tidy, Core.SurveyDefinitions.SurveyDefinition definition)
    {
        var sumParts = BenchmarkDisclosure.SumRules(definition)
            .SelectMany(r => r.Terms.Select(t => (Topic: definition.Sections.Single(s => s.Questions.Any(q => q.Key == t)).Title, Breakdown: definition.FindQuestion(t)!.Label, Key: t, Column: r.Total)));
        var cells = definition.Questions.Where(q => q.Grid is not null)
            .SelectMany(q => q.Grid!.Rows.Select(r => (Topic: q.Label, Breakdown: r.Label, Key: q.Key + "." + r.Value, Column: q.Grid.TotalOf ?? q.Key)))
            .Concat(sumParts)
            .ToDictionary(c => (c.Topic, c.Breakdown));
        var wide = new List<Dictionary<string, string>>();
        foreach (var place in tidy.GroupBy(r => (r["time_period"], r["geographic_level"], r["region_code"], r["old_la_code"])))
        {
            var total = place.Single(r => r["breakdown_topic"] == "Total" && r["breakdown"] == "Total");
            var row = new Dictionary<string, string>(total);
            foreach (var b in place.Where(r => r != total))
            {
                var cell = cells[(b["breakdown_topic"], b["breakdown"])];
                row[cell.Key] = b[cell.Column];
            }

            wide.Add(row);
        }

        return wide;
    }

    internal static List<Dictionary<string, string>> ReadCsv(byte[] content)
    {
        using var reader = new StreamReader(new MemoryStream(content));
        using var csv = new CsvHelper.CsvReader(reader, CultureInfo.InvariantCulture);
        return csv.GetRecords<dynamic>().Select(r => ((IDictionary<string, object>)r).ToDictionary(k => k.Key, k => (string)k.Value)).ToList();
    }

    /// <summary>
    /// What a reader of the CSV alone can do, without the portal's code: for each relation they know (a grid's
    /// cells add up to its total; outcomes add up to children in FGCs; LAs add up to their region and to England),
    /// find every instance where exactly one figure is c and the rest are numbers, and work the c out.
    /// </summary>
    private static List<string> ReaderRecoveries(List<Dictionary<string, string>> rows, Core.SurveyDefinitions.SurveyDefinition definition, string timePeriod)
    {
        var found = new List<string>();
        var year = rows.Where(r => r["time_period"] == timePeriod).ToList();
        var relations = definition.Questions.Where(q => q.Grid?.TotalOf is not null)
            .Select(q => (Total: q.Grid!.TotalOf!, Terms: q.Grid.CellKeys(q.Key).ToList()))
            .Append(("children_in_fgcs", ["outcome_with_parents", "outcome_with_family_network", "outcome_looked_after", "outcome_not_known"]))
            .ToList();

        // Column names of the file: a grid cell's key with its dots made underscores if the file does that.
        string Column(Dictionary<string, string> row, string key) =>
            row.ContainsKey(key) ? key : key.Replace('.', '_');

        foreach (var row in year.Where(r => r["geographic_level"] == "Local authority"))
        {
            foreach (var (total, terms) in relations)
            {
                var cells = terms.Prepend(total).Select(k => row.GetValueOrDefault(Column(row, k))).ToList();
                if (cells.All(c => c is not null && (c == "c" || decimal.TryParse(c, NumberStyles.Number, CultureInfo.InvariantCulture, out _)))
                    && cells.Count(c => c == "c") == 1)
                {
                    found.Add($"{row["la_name"]}: {total} row");
                }
            }
        }

        var countColumns = definition.Questions.Where(q => q.Type == Core.SurveyDefinitions.QuestionType.Count).Select(q => q.Key)
            .Concat(definition.Questions.Where(q => q.Grid is not null).SelectMany(q => q.Grid!.CellKeys(q.Key))).ToList();
        var las = year.Where(r => r["geographic_level"] == "Local authority").ToList();
        foreach (var area in year.Where(r => r["geographic_level"] is "National" or "Regional"))
        {
            var members = area["geographic_level"] == "National" ? las : las.Where(l => l["region_code"] == area["region_code"]).ToList();
            foreach (var key in countColumns)
            {
                var column = Column(area, key);
                if (!area.TryGetValue(column, out var total) || total is "c" or "x" or "z")
                {
                    continue;
                }

                if (members.Count(m => m[column] == "c") == 1)
                {
                    found.Add($"{area["geographic_level"]} {area["region_code"]}: {key}");
                }
            }
        }

        return found;
    }
}
