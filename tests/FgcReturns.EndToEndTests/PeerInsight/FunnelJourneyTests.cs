using System.Globalization;
using FgcReturns.Core.Benchmarks;
using FgcReturns.IntegrationTests;
using FgcReturns.TestSupport;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;

namespace FgcReturns.EndToEndTests.PeerInsight;

/// <summary>
/// The FGC funnel as people see it: Medway's data lead on /compare (Medway beside England, South East and its
/// neighbours) and an analyst on /benchmarks (England and each region), in a real browser at 1280 and 320 CSS pixels.
/// Every cell must be the build's own row as published; North East's plans agreed are made small so that a
/// suppressed figure is on the page; the chart's text alternative must carry the table's figures.
/// </summary>
public sealed class FunnelJourneyTests(PortalFixture portal) : IClassFixture<PortalFixture>
{
    private const string NorthEast = "E12000001";
    private const string Medway = TestData.Medway;

    /// <summary>The held step is fgcs_held in 1.0 (2024-25) and initial_fgcs_held in 1.1; a build may name either.</summary>
    private static readonly string[][] StepKeys = [["referrals_families"], ["families_offered"], ["families_accepted"], ["initial_fgcs_held", "fgcs_held"], ["plans_agreed"]];
    private static readonly string[][] RateKeys = [["offer_rate"], ["acceptance_rate"], ["conversion_rate"], ["plan_agreed_rate"]];
    private static readonly string[] RateWords = ["referred to offered", "offered to agreed", "agreed to held", "held to plan agreed"];

    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task Benchmarks_AnalystSeesEnglandAndEachRegionsFunnel_AsTheBuildPublishedIt(int width)
    {
        // Arrange: one region with a single plan agreed in 2024-25, so its total and its rate are suppressed.
        var rows = await BuildWithASmallNorthEastAsync();
        var page = await portal.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        await page.SignInAsync(TestData.Users.Analyst);

        // Act
        await page.GotoAsync("/benchmarks");
        var funnel = page.Locator("[data-testid='funnel']");
        await Assertions.Expect(funnel.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("National and regional FGC funnel, 2024-25");
        var table = await ReadTableAsync(funnel);

        // Assert: England then the 9 regions, every count and rate the build's row as published.
        table.Columns.Count.ShouldBe(10);
        table.Columns[0].ShouldBe("England");
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var (level, code) = table.Columns[c] == "England" ? (AreaLevel.National, "E92000001") : (AreaLevel.Regional, rows.RegionCodes[table.Columns[c]]);
            table.Counts.Select(r => r[c]).ShouldBe(StepKeys.Select(k => rows.AreaCount(level, code, k)), $"counts of {table.Columns[c]}");
            table.Rates.Select(r => r[c]).ShouldBe(RateKeys.Select(k => rows.AreaRate(level, code, k)), $"rates of {table.Columns[c]}");
        }

        var northEast = table.Columns.IndexOf(rows.RegionNames[NorthEast]);
        table.Counts[4][northEast].ShouldBe(Gss.Suppressed, "one plan agreed in the region is a small count");
        table.Rates[3][northEast].ShouldBe(Gss.Suppressed, "a rate from one plan agreed is suppressed");
        table.Rates[0].ShouldAllBe(cell => cell == Gss.NotAvailable, "2024-25 is on 1.0, which has no offer_rate");
        await AssertChartCarriesTheTableAsync(funnel, table);
        ((await funnel.Locator("svg[role='img']").GetAttributeAsync("aria-label")) ?? "").ShouldContain(rows.RegionNames[NorthEast] + ": referred to offered not available, ");
        await AssertReflowsAndPassesAxeAsync(page, width);
    }

    [Theory]
    [InlineData(1280)]
    [InlineData(320)]
    public async Task Compare_DataLeadSeesMedwaysFunnelBesideEnglandRegionAndNeighbours_AsTheBuildPublishedIt(int width)
    {
        // Arrange
        var rows = await BuildWithASmallNorthEastAsync();
        var page = await portal.NewPageAsync();
        await page.SetViewportSizeAsync(width, 900);
        await page.SignInAsync(TestData.Users.MedwayLead);

        // Act
        await page.GotoAsync("/compare");
        var funnel = page.Locator("[data-testid='funnel']");
        await Assertions.Expect(funnel.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("FGC funnel: Medway beside England, region and neighbours, 2024-25");
        var table = await ReadTableAsync(funnel);

        // Assert: Medway's own figures in full, then England, South East and its neighbours as published.
        table.Columns.ShouldBe(["Medway", "England", "South East", "Statistical neighbours"]);
        table.Counts.Select(r => r[0]).ShouldBe(StepKeys.Select(k => rows.Own(k, 0)));
        table.Rates.Select(r => r[0]).ShouldBe(RateKeys.Select(k => rows.Own(k, 1)));
        (AreaLevel Level, string Code)[] areas = [(AreaLevel.National, "E92000001"), (AreaLevel.Regional, rows.MedwayRegion), (AreaLevel.Neighbours, Medway)];
        for (var c = 1; c < 4; c++)
        {
            var (level, code) = areas[c - 1];
            table.Counts.Select(r => r[c]).ShouldBe(StepKeys.Select(k => rows.AreaCount(level, code, k)), $"counts of {table.Columns[c]}");
            table.Rates.Select(r => r[c]).ShouldBe(RateKeys.Select(k => rows.AreaRate(level, code, k)), $"rates of {table.Columns[c]}");
        }

        table.Rates[1].ShouldAllBe(cell => cell.Any(char.IsDigit), "offered to agreed is published for Medway and its areas");
        await AssertChartCarriesTheTableAsync(funnel, table);
        await AssertReflowsAndPassesAxeAsync(page, width);
    }

    private sealed record FunnelTable(List<string> Columns, List<IReadOnlyList<string>> Counts, List<IReadOnlyList<string>> Rates);

    private static async Task<FunnelTable> ReadTableAsync(ILocator funnel)
    {
        var headers = await funnel.Locator("thead th").AllInnerTextsAsync();
        var counts = new List<IReadOnlyList<string>>();
        for (var i = 0; i < StepKeys.Length; i++)
        {
            counts.Add((await funnel.Locator($"tr[data-step='{i}'] td").AllInnerTextsAsync()).Select(t => t.Trim()).ToList());
        }

        var rates = new List<IReadOnlyList<string>>();
        for (var i = 0; i < RateKeys.Length; i++)
        {
            rates.Add((await funnel.Locator($"tr[data-rate='{i}'] td").AllInnerTextsAsync()).Select(t => t.Trim()).ToList());
        }

        return new FunnelTable(headers.Skip(1).Select(h => h.Trim()).ToList(), counts, rates);
    }

    /// <summary>The chart is an image whose text alternative gives every rate of the table, in words for c and x.</summary>
    private static async Task AssertChartCarriesTheTableAsync(ILocator funnel, FunnelTable table)
    {
        var chart = funnel.Locator("svg[role='img']");
        await Assertions.Expect(chart).ToHaveCountAsync(1);
        var label = await chart.GetAttributeAsync("aria-label") ?? "";
        await Assertions.Expect(funnel.Locator("figcaption")).ToContainTextAsync("The table has the same figures");
        for (var c = 0; c < table.Columns.Count; c++)
        {
            var words = string.Join(", ", RateKeys.Select((_, r) => RateWords[r] + " " + Words(table.Rates[r][c])));
            label.ShouldContain($"{table.Columns[c]}: {words}.");
        }
    }

    private static string Words(string cell) => cell switch
    {
        Gss.Suppressed => "suppressed",
        Gss.NotAvailable or Gss.NotApplicable => "not available",
        _ => decimal.Parse(cell, NumberStyles.Number, CultureInfo.InvariantCulture).ToString("0.#", CultureInfo.InvariantCulture) + "%",
    };

    private static async Task AssertReflowsAndPassesAxeAsync(IPage page, int width)
    {
        if (width <= 320)
        {
            var scrollsSideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
            scrollsSideways.ShouldBeFalse("the page must not scroll sideways at 320 CSS pixels (WCAG 1.4.10)");
            await Assertions.Expect(page.Locator("[data-testid='funnel'] [role='region']")).ToHaveAttributeAsync("tabindex", "0");
        }

        (await page.AccessibilityViolationsAsync()).ShouldBeEmpty();
    }

    /// <summary>North East's 2024-25 plans agreed become 1 in total, then a final build; returns the build's rows.</summary>
    private async Task<BuildRows> BuildWithASmallNorthEastAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        await using (var connection = new NpgsqlConnection(portal.Factory.ConnectionString))
        {
            await connection.OpenAsync(ct);
            await using var command = new NpgsqlCommand("""
                WITH ne AS (
                    SELECT r.id, row_number() OVER (ORDER BY r.la_code) AS n
                    FROM returns r JOIN local_authorities la ON la.code = r.la_code JOIN collections c ON c.id = r.collection_id
                    WHERE la.region_code = @region AND c.period = '2024-25' AND r.status = 'Accepted')
                UPDATE returns SET "values" = jsonb_set("values", '{plans_agreed}', to_jsonb(CASE WHEN ne.n = 1 THEN '1' ELSE '0' END))
                FROM ne WHERE returns.id = ne.id
                """, connection);
            command.Parameters.AddWithValue("region", NorthEast);
            (await command.ExecuteNonQueryAsync(ct)).ShouldBeGreaterThan(1);
        }

        var build = await portal.Factory.Services.GetRequiredService<BenchmarkBuilder>()
            .BuildAsync("fgc-annual", BenchmarkKind.Final, BenchmarkTrigger.OnDemand, ct: ct);
        build.Outcome.ShouldBe(BuildOutcome.Succeeded, build.Error);
        return await portal.Factory.WithDbAsync(async db =>
        {
            var current = await db.Set<BenchmarkBuild>().AsNoTracking().SingleAsync(b => b.IsCurrent && b.Kind == BenchmarkKind.Final, ct);
            var period = await db.Collections.Where(c => c.Period == TestData.PreviousPeriod).Select(c => c.Id).SingleAsync(ct);
            var keys = StepKeys.Concat(RateKeys).SelectMany(k => k).ToArray();
            var areas = await db.Set<BenchmarkAreaValue>().AsNoTracking()
                .Where(a => a.BuildId == current.Id && a.CollectionId == period && (keys.Contains(a.SeriesKey) || keys.Contains(a.MeasureKey))).ToListAsync(ct);
            var own = await db.Set<BenchmarkLaValue>().AsNoTracking()
                .Where(v => v.BuildId == current.Id && v.CollectionId == period && v.LaCode == Medway && (keys.Contains(v.SeriesKey) || keys.Contains(v.MeasureKey))).ToListAsync(ct);
            var regions = await db.Regions.AsNoTracking().ToDictionaryAsync(r => r.Code, r => r.Name, ct);
            var medwayRegion = await db.LocalAuthorities.Where(l => l.Code == Medway).Select(l => l.RegionCode).SingleAsync(ct);
            return new BuildRows(areas, own, current.SuppressionThreshold, regions, medwayRegion);
        });
    }

    /// <summary>The build's rows of the funnel's series for 2024-25, and what each cell must show.</summary>
    private sealed record BuildRows(List<BenchmarkAreaValue> Areas, List<BenchmarkLaValue> OwnValues, int Threshold, Dictionary<string, string> RegionNames, string MedwayRegion)
    {
        public Dictionary<string, string> RegionCodes => RegionNames.ToDictionary(r => r.Value, r => r.Key);

        public string AreaCount(AreaLevel level, string code, string[] keys) =>
            Areas.Any(a => Is(a.SeriesKey, a.MeasureKey, keys)) ? DisclosureControl.Area(Area(level, code, keys), MeasureKind.Count, DisclosureControl.Statistic.Total, Threshold, DisclosureView.Suppressed).Format(0) : Gss.NotAvailable;

        public string AreaRate(AreaLevel level, string code, string[] keys) =>
            Areas.Any(a => Is(a.SeriesKey, a.MeasureKey, keys)) ? DisclosureControl.Area(Area(level, code, keys), MeasureKind.Indicator, DisclosureControl.Statistic.Rate, Threshold, DisclosureView.Suppressed).Format(1) : Gss.NotAvailable;

        public string Own(string[] keys, int decimals) =>
            DisclosureControl.La(OwnValues.SingleOrDefault(v => Is(v.SeriesKey, v.MeasureKey, keys)), DisclosureView.Unsuppressed).Format(decimals);

        private static bool Is(string seriesKey, string measureKey, string[] keys) => keys.Contains(seriesKey) || keys.Contains(measureKey);

        private BenchmarkAreaValue? Area(AreaLevel level, string code, string[] keys) =>
            Areas.SingleOrDefault(a => a.AreaLevel == level && a.AreaCode == code && Is(a.SeriesKey, a.MeasureKey, keys));
    }
}
